// google.type.DayOfWeek as absl::Weekday (the contract's days and the civil
// time library's), for every service that reads weekly hours or days.
#ifndef CLINIC_SERVICES_COMMON_TIME_WEEKDAY_H_
#define CLINIC_SERVICES_COMMON_TIME_WEEKDAY_H_

#include "absl/time/civil_time.h"
#include "google/type/dayofweek.pb.h"

namespace clinic::time {

// DAY_OF_WEEK_UNSPECIFIED reads as Sunday (callers validate first).
absl::Weekday ToWeekday(google::type::DayOfWeek day);

}  // namespace clinic::time

#endif  // CLINIC_SERVICES_COMMON_TIME_WEEKDAY_H_
