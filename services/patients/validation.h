// Validation of patient requests: pure functions, no I/O. Every error is
// INVALID_ARGUMENT with a google.rpc.BadRequest detail naming each invalid
// field (status::InvalidField); its message starts with the first field's
// path, e.g. "patient.email: not a valid email address (needs exactly one @)".
#ifndef CLINIC_SERVICES_PATIENTS_VALIDATION_H_
#define CLINIC_SERVICES_PATIENTS_VALIDATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clinic/patients/v1/patients.pb.h"

namespace clinic::patients {

// Limits, in Unicode code points.
inline constexpr size_t kMaxNameLength = 100;
inline constexpr size_t kMaxAddressFieldLength = 200;
inline constexpr size_t kMaxNotesLength = 4000;
inline constexpr size_t kMaxSearchLength = 100;

struct ValidationContext {
  // The present instant; dates of birth after today are refused.
  absl::Time now;
  // Region for phone numbers written without a country code, e.g. "US".
  std::string default_region = "US";
};

// Checks and normalizes `patient` in place for storage: trims and folds
// spaces in names, normalizes phone numbers and email, upper-cases the
// country code. Output-only fields are cleared. `field` is the path prefix
// used in messages ("patient").
absl::Status NormalizeAndValidatePatient(const ValidationContext& context,
                                         absl::string_view field,
                                         v1::Patient& patient);

// Checks a date of birth: a real calendar date, not before 1900-01-01, not
// after today anywhere on Earth (UTC+14).
absl::Status ValidateBirthDate(const ValidationContext& context,
                               absl::string_view field,
                               const google::type::Date& date);

// What one search box's text asks for (ListPatientsRequest.query): exactly
// one of the three is set.
struct SearchQuery {
  std::string name_prefix;   // the text, spaces folded
  std::string birth_date;    // "YYYY-MM-DD"
  std::string phone_suffix;  // 4 to 15 digits
};

// Reads `query` as a date of birth ("1990-04-02", or "04/02/1990" in the
// US and "02/04/1990" elsewhere, by context.default_region), else as the
// last digits of a phone (only digits and - . ( ) + spaces, 4 to 15
// digits), else as a name prefix. INVALID_ARGUMENT on `field` for control
// characters, more than kMaxSearchLength characters, or a date of birth
// that ValidateBirthDate refuses.
absl::StatusOr<SearchQuery> ParseSearchQuery(const ValidationContext& context,
                                             absl::string_view field,
                                             absl::string_view query);

// "YYYY-MM-DD" of a (valid) date.
std::string FormatDate(const google::type::Date& date);

// Checks "patients/{uuid}" and returns the lower-case uuid.
absl::StatusOr<std::string> ParsePatientName(absl::string_view field,
                                             absl::string_view name);

}  // namespace clinic::patients

#endif  // CLINIC_SERVICES_PATIENTS_VALIDATION_H_
