#include "services/common/time/timestamps.h"

#include "gtest/gtest.h"

namespace clinic::time {
namespace {

TEST(TimestampsTest, MicrosRoundTripOnBothSidesOfTheEpoch) {
  for (int64_t m : {int64_t{0}, int64_t{1795514400123457}, int64_t{-1},
                    int64_t{-1500000}}) {
    google::protobuf::Timestamp ts = TimestampFromMicros(m);
    EXPECT_GE(ts.nanos(), 0) << m;
    EXPECT_LT(ts.nanos(), 1000000000) << m;
    EXPECT_EQ(MicrosFromTimestamp(ts), m);
  }
  google::protobuf::Timestamp before = TimestampFromMicros(-1500000);
  EXPECT_EQ(before.seconds(), -2);
  EXPECT_EQ(before.nanos(), 500000000);
}

TEST(TimestampsTest, AbslTimeRoundTripsToTheMicrosecond) {
  const absl::Time t = absl::FromUnixMicros(1795514400123457);
  EXPECT_EQ(FromTimestamp(ToTimestamp(t)), t);
  EXPECT_EQ(FromTimestamp(ToTimestamp(t + absl::Nanoseconds(999))), t);
}

}  // namespace
}  // namespace clinic::time
