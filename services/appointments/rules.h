// From the contract's messages to the slot engine's input: the rules for one
// therapist at one location for one appointment type. Pure.
#ifndef CLINIC_SERVICES_APPOINTMENTS_RULES_H_
#define CLINIC_SERVICES_APPOINTMENTS_RULES_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clinic/appointments/v1/appointments.pb.h"
#include "services/appointments/slots/slots.h"

namespace clinic::appointments {

// The rules for `schedule` at the location named `location_name` (whose
// zone is `zone`), for `type`. busy is empty, not_before/not_after are
// unbounded: callers fill them in.
slots::SlotRules BuildRules(const v1::Location& location,
                            const std::string& location_name,
                            absl::TimeZone zone,
                            const v1::AppointmentType& type,
                            const v1::ProviderSchedule& schedule);

// True if the schedule mentions the location (weekly or extra hours).
bool WorksAt(const v1::ProviderSchedule& schedule,
             const std::string& location_name);

// The preference bucket of a local start minute: morning before 12:00,
// afternoon 12:00 to 17:00, evening from 17:00.
v1::TimeOfDayPreference TimeOfDayOf(int minute_of_day);

// True if credentials are unknown, the type allows anyone, or the therapist
// has one of the allowed credentials (case-insensitive).
bool CredentialsAllow(const v1::AppointmentType& type,
                      const std::vector<std::string>* credentials);

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_RULES_H_
