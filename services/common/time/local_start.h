// The services' local wall-clock strings ("2026-12-02T09:00", as
// Appointment.local_start and Slot.local_start carry them) read back.
#ifndef CLINIC_SERVICES_COMMON_TIME_LOCAL_START_H_
#define CLINIC_SERVICES_COMMON_TIME_LOCAL_START_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace clinic::time {

// "YYYY-MM-DDTHH:MM" (anything after is ignored) as a civil minute;
// nullopt when it is not one.
std::optional<absl::CivilMinute> ParseLocalStart(absl::string_view s);

}  // namespace clinic::time

#endif  // CLINIC_SERVICES_COMMON_TIME_LOCAL_START_H_
