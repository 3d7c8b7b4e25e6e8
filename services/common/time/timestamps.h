// google.protobuf.Timestamp <-> absl::Time and Unix microseconds (the form
// instants take in SQL: (extract(epoch FROM t) * 1000000)::bigint).
#ifndef CLINIC_SERVICES_COMMON_TIME_TIMESTAMPS_H_
#define CLINIC_SERVICES_COMMON_TIME_TIMESTAMPS_H_

#include <google/protobuf/timestamp.pb.h>

#include <cstdint>

#include "absl/time/time.h"

namespace clinic::time {

// Truncated to microseconds; nanos are never negative, before 1970 too.
google::protobuf::Timestamp ToTimestamp(absl::Time t);
absl::Time FromTimestamp(const google::protobuf::Timestamp& ts);

google::protobuf::Timestamp TimestampFromMicros(int64_t unix_micros);
int64_t MicrosFromTimestamp(const google::protobuf::Timestamp& ts);

}  // namespace clinic::time

#endif  // CLINIC_SERVICES_COMMON_TIME_TIMESTAMPS_H_
