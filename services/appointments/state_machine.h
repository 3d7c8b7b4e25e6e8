// The appointment lifecycle as a table: which verb moves which state where.
// Pure; the store applies the result under the row's lock.
#ifndef CLINIC_SERVICES_APPOINTMENTS_STATE_MACHINE_H_
#define CLINIC_SERVICES_APPOINTMENTS_STATE_MACHINE_H_

#include <string>

#include "absl/status/statusor.h"
#include "clinic/appointments/v1/appointments.pb.h"

namespace clinic::appointments {

enum class Verb {
  kConfirm,
  kCheckIn,
  kComplete,
  kMarkNoShow,
  kCancel,
  kReschedule,
};

// The verb as written in messages: "confirm", "check in", ...
const char* VerbName(Verb verb);

// "booked", "checked in", ...
std::string StateName(v1::AppointmentState state);

// True for the states that hold the slot (booked, confirmed, checked in).
bool IsActive(v1::AppointmentState state);

// The state after `verb`, or FAILED_PRECONDITION
// "appointment is <state>; cannot <verb>". Reschedule keeps the state.
absl::StatusOr<v1::AppointmentState> Transition(v1::AppointmentState from,
                                                Verb verb);

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_STATE_MACHINE_H_
