#include "services/appointments/day_window.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace clinic::appointments {
namespace {

constexpr absl::Duration kGrace = absl::Hours(1);

std::string Day(absl::Time t, absl::TimeZone zone) {
  return absl::StrCat(absl::FormatTime("%A ", t, zone),
                      absl::ToCivilDay(t, zone).day(),
                      absl::FormatTime(" %B", t, zone));
}

}  // namespace

absl::Status CheckDayWindow(DayAction action, absl::Time now, absl::Time start,
                            absl::Time end, absl::TimeZone zone) {
  const absl::CivilDay day = absl::ToCivilDay(start, zone);
  const absl::CivilDay today = absl::ToCivilDay(now, zone);
  const bool same_day = today == day;
  switch (action) {
    case DayAction::kCheckIn:
      if (same_day || (now >= start - kGrace && now <= end + kGrace)) {
        return absl::OkStatus();
      }
      if (today < day) {
        return absl::FailedPreconditionError(
            absl::StrCat("Check-in opens on ", Day(start, zone),
                         ", the day of the appointment."));
      }
      return absl::FailedPreconditionError(
          absl::StrCat("The appointment was on ", Day(start, zone),
                       "; check-in is only possible on its day."));
    case DayAction::kNoShow:
      if (now < start) {
        return absl::FailedPreconditionError(absl::StrCat(
            "The appointment starts at ",
            absl::FormatTime("%H:%M", start, zone),
            "; it can be marked as a no-show once it has started."));
      }
      if (same_day || now <= end + kGrace) return absl::OkStatus();
      return absl::FailedPreconditionError(
          absl::StrCat("The appointment was on ", Day(start, zone),
                       "; a no-show is recorded on its day."));
    case DayAction::kUndo:
      if (today <= day || now <= end + kGrace) return absl::OkStatus();
      return absl::FailedPreconditionError(
          absl::StrCat("The appointment was on ", Day(start, zone),
                       "; a check-in or no-show can be undone only on its "
                       "day."));
  }
  return absl::OkStatus();
}

}  // namespace clinic::appointments
