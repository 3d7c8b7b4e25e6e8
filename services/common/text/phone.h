// Phone numbers (libphonenumber). Pure, no I/O.
#ifndef CLINIC_SERVICES_COMMON_TEXT_PHONE_H_
#define CLINIC_SERVICES_COMMON_TEXT_PHONE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinic::text {

// A phone number in E.164 ("+15551234567") when libphonenumber can parse it
// as a possible number (numbers without "+" are read in `default_region`,
// an ISO 3166 code such as "US"); otherwise the input with surrounding white
// space removed. INVALID_ARGUMENT (message without a field name) if it has no
// digit, is longer than 32 characters, or has characters other than digits,
// spaces and + - . ( ) / x #.
absl::StatusOr<std::string> NormalizePhone(absl::string_view phone,
                                           absl::string_view default_region);

}  // namespace clinic::text

#endif  // CLINIC_SERVICES_COMMON_TEXT_PHONE_H_
