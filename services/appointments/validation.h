// Validation of scheduling requests: pure functions, no I/O. Every error is
// INVALID_ARGUMENT with a message that starts with the field's path, e.g.
// "location.time_zone: unknown IANA time zone \"Mars/Olympus\"".
#ifndef CLINIC_SERVICES_APPOINTMENTS_VALIDATION_H_
#define CLINIC_SERVICES_APPOINTMENTS_VALIDATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clinic/appointments/v1/appointments.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "google/type/dayofweek.pb.h"
#include "google/type/timeofday.pb.h"
#include "services/common/time/weekday.h"

namespace clinic::appointments {

inline constexpr size_t kMaxRequestIdLength = 64;
inline constexpr size_t kMaxDisplayNameLength = 100;
inline constexpr size_t kMaxNotesLength = 2000;
inline constexpr size_t kMaxReasonLength = 500;
// FindAvailableSlots searches at most this many days after start_date.
inline constexpr int kMaxSearchDays = 90;
// ListAppointments by location: end_time at most this long after start.
inline constexpr int kMaxListDays = 92;

// "{prefix}/{uuid}" -> the lower-case uuid. `prefix` e.g. "locations".
absl::StatusOr<std::string> ParseId(absl::string_view field,
                                    absl::string_view name,
                                    absl::string_view prefix);

// "staff/{uuid}" -> "staff/{uuid}" in lower case.
absl::StatusOr<std::string> ParseTherapist(absl::string_view field,
                                           absl::string_view name);

// "patients/{uuid}" -> "patients/{uuid}" in lower case.
absl::StatusOr<std::string> ParsePatient(absl::string_view field,
                                         absl::string_view name);

// "staff/{uuid}/schedule" -> "staff/{uuid}".
absl::StatusOr<std::string> ParseScheduleName(absl::string_view field,
                                              absl::string_view name);

// Checks and normalizes a location for storage (trims text, defaults
// slot_minutes to 15, sorts opening hours by day, clears output-only
// fields).
absl::Status NormalizeAndValidateLocation(absl::string_view field,
                                          v1::Location& location);

// Checks and normalizes an appointment type (defaults max_days_ahead to 60,
// clears output-only fields except `active`).
absl::Status NormalizeAndValidateType(absl::string_view field,
                                      v1::AppointmentType& type);

// Checks a schedule's intervals and names (not that locations exist).
absl::Status ValidateSchedule(absl::string_view field,
                              const v1::ProviderSchedule& schedule);

// The scheduling horizon: every date and instant the service accepts lies
// in these years, so that what it derives from them (ends, buffers, search
// windows) stays a valid google.protobuf.Timestamp. Outside:
// INVALID_ARGUMENT.
inline constexpr int kFirstYear = 1900;
inline constexpr int kLastYear = 2999;

// Checks a calendar date.
absl::Status ValidateDate(absl::string_view field,
                          const google::type::Date& date);

// A valid Timestamp (set, within 0001..9999).
absl::StatusOr<absl::Time> ToTime(absl::string_view field,
                                  const google::protobuf::Timestamp& ts);

// Helpers between the contract's types and absl's.
absl::CivilDay ToCivilDay(const google::type::Date& date);
google::type::Date FromCivilDay(absl::CivilDay day);
std::string FormatDate(const google::type::Date& date);
using time::ToWeekday;  // services/common/time/weekday.h
// Minutes after midnight; 24:00 is 1440.
int MinuteOfDay(const google::type::TimeOfDay& time);
google::protobuf::Timestamp ToProto(absl::Time t);
absl::Time FromProto(const google::protobuf::Timestamp& ts);
google::protobuf::Duration ToProtoDuration(absl::Duration d);
absl::Duration FromProtoDuration(const google::protobuf::Duration& d);
// "2026-03-08T09:00" in `zone`.
std::string LocalStart(absl::Time t, absl::TimeZone zone);

// Loads an IANA zone; INVALID_ARGUMENT "<field>: unknown IANA time zone".
absl::StatusOr<absl::TimeZone> LoadZone(absl::string_view field,
                                        const std::string& name);

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_VALIDATION_H_
