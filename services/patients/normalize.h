// Normalization of contact details: pure functions, no I/O.
#ifndef CLINIC_SERVICES_PATIENTS_NORMALIZE_H_
#define CLINIC_SERVICES_PATIENTS_NORMALIZE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinic::patients {

// A phone number in E.164 ("+15551234567") when libphonenumber can parse it
// as a possible number (numbers without "+" are read in `default_region`,
// an ISO 3166 code such as "US"); otherwise the input with surrounding white
// space removed. INVALID_ARGUMENT (message without a field name) if it has no
// digit, is longer than 32 characters, or has characters other than digits,
// spaces and + - . ( ) / x #.
absl::StatusOr<std::string> NormalizePhone(absl::string_view phone,
                                           absl::string_view default_region);

// The email with surrounding white space removed and the domain lower-cased.
// INVALID_ARGUMENT if it is not of the form local@domain.tld (one "@", a
// local part of 1-64 printable characters without spaces, a domain of
// letters/digits/hyphens labels with a dot, 254 characters at most).
absl::StatusOr<std::string> NormalizeEmail(absl::string_view email);

// Trims ASCII white space and folds runs of white space inside to one space.
std::string CollapseSpaces(absl::string_view s);

// Number of Unicode code points of valid UTF-8 text.
size_t CodePoints(absl::string_view utf8);

}  // namespace clinic::patients

#endif  // CLINIC_SERVICES_PATIENTS_NORMALIZE_H_
