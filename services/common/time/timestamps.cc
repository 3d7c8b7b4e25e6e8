#include "services/common/time/timestamps.h"

namespace clinic::time {

google::protobuf::Timestamp TimestampFromMicros(int64_t unix_micros) {
  int64_t seconds = unix_micros / 1000000;
  int64_t rest = unix_micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --seconds;
  }
  google::protobuf::Timestamp ts;
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(rest * 1000));
  return ts;
}

int64_t MicrosFromTimestamp(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000000 + ts.nanos() / 1000;
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return TimestampFromMicros(absl::ToUnixMicros(t));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace clinic::time
