// Online booking as pure functions: checking the public request, mapping
// field errors of the services behind it to the request's fields, and the
// confirmation in words. No I/O.
#ifndef CLINIC_SERVICES_BOOKING_ONLINE_H_
#define CLINIC_SERVICES_BOOKING_ONLINE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "clinic/appointments/v1/appointments.pb.h"
#include "clinic/booking/v1/booking_service.pb.h"

namespace clinic::booking {

// At most this many days per FindOpenings.
inline constexpr int kMaxOpeningDays = 14;

// Checks what FindOpenings needs; INVALID_ARGUMENT naming every bad field.
absl::Status CheckFindOpenings(const v1::FindOpeningsRequest& request);

// BookOnline's request_id is at most this long.
inline constexpr size_t kMaxBookOnlineRequestId = 48;

// Checks what BookOnline needs before any service is called (the names of
// the type, location and therapist, the start, consent, the honeypot);
// the person is checked by the patients service.
absl::Status CheckBookOnline(const v1::BookOnlineRequest& request);

// `status` with field paths of the patients service ("patient.email") or
// the appointments service ("appointment.start_time") renamed to the public
// request's ("person.email", "start_time").
absl::Status ForThePublic(const absl::Status& status);

// "Free screening at Boulder – Pearl Street on Tuesday 1 December 2026 at
// 9:00 AM (America/Denver)." from the appointment's local start
// ("2026-12-01T09:00").
std::string Confirmation(const std::string& type_name,
                         const std::string& location_name,
                         const std::string& local_start,
                         const std::string& time_zone);

}  // namespace clinic::booking

#endif  // CLINIC_SERVICES_BOOKING_ONLINE_H_
