#include "services/common/time/weekday.h"

namespace clinic::time {

absl::Weekday ToWeekday(google::type::DayOfWeek day) {
  switch (day) {
    case google::type::MONDAY:
      return absl::Weekday::monday;
    case google::type::TUESDAY:
      return absl::Weekday::tuesday;
    case google::type::WEDNESDAY:
      return absl::Weekday::wednesday;
    case google::type::THURSDAY:
      return absl::Weekday::thursday;
    case google::type::FRIDAY:
      return absl::Weekday::friday;
    case google::type::SATURDAY:
      return absl::Weekday::saturday;
    default:
      return absl::Weekday::sunday;
  }
}

}  // namespace clinic::time
