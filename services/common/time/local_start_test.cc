#include "services/common/time/local_start.h"

#include "gtest/gtest.h"

namespace clinic::time {
namespace {

TEST(LocalStartTest, ReadsTheServicesWallClockStrings) {
  EXPECT_EQ(ParseLocalStart("2026-12-02T09:05"),
            absl::CivilMinute(2026, 12, 2, 9, 5));
  EXPECT_EQ(ParseLocalStart("2026-12-02T09:05:00"),
            absl::CivilMinute(2026, 12, 2, 9, 5));
  EXPECT_EQ(ParseLocalStart("2026-02-30T09:00"), std::nullopt);
  EXPECT_EQ(ParseLocalStart("2026-12-02 09:00"), std::nullopt);
  EXPECT_EQ(ParseLocalStart("2026-12-02"), std::nullopt);
  EXPECT_EQ(ParseLocalStart(""), std::nullopt);
}

}  // namespace
}  // namespace clinic::time
