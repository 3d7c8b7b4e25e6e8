// Phone numbers (libphonenumber). Pure, no I/O.
#ifndef CLINIC_SERVICES_COMMON_TEXT_PHONE_H_
#define CLINIC_SERVICES_COMMON_TEXT_PHONE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinic::text {

// A phone number in E.164 ("+15551234567"). Numbers without "+" are read
// in `default_region`, an ISO 3166 code such as "US". INVALID_ARGUMENT
// (message without a field name) unless libphonenumber finds it a valid
// number of its region (its validity check, not only a parse: "12345" is
// refused), and if it has no digit, is longer than 32 characters, or has
// characters other than digits, spaces and + - . ( ) / x #.
absl::StatusOr<std::string> NormalizePhone(absl::string_view phone,
                                           absl::string_view default_region);

}  // namespace clinic::text

#endif  // CLINIC_SERVICES_COMMON_TEXT_PHONE_H_
