// When check-in, no-show and their undo are allowed: on the appointment's
// local day (a front desk works in the location's time), with an hour's
// grace around the appointment for one that crosses midnight. Pure.
#ifndef CLINIC_SERVICES_APPOINTMENTS_DAY_WINDOW_H_
#define CLINIC_SERVICES_APPOINTMENTS_DAY_WINDOW_H_

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace clinic::appointments {

enum class DayAction {
  kCheckIn,  // the appointment's day (or within an hour of its start)
  kNoShow,   // after its start, until the end of its day (or an hour after)
  kUndo,     // undoing either, until the end of its day (or an hour after)
};

// OK when `action` is allowed at `now` for an appointment from `start` to
// `end` at a location in `zone`; otherwise FAILED_PRECONDITION saying when
// it is allowed, in local words ("Check-in opens on Wednesday 2 December,
// the day of the appointment.").
absl::Status CheckDayWindow(DayAction action, absl::Time now, absl::Time start,
                            absl::Time end, absl::TimeZone zone);

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_DAY_WINDOW_H_
