// Email addresses. Pure, no I/O.
#ifndef CLINIC_SERVICES_COMMON_TEXT_EMAIL_H_
#define CLINIC_SERVICES_COMMON_TEXT_EMAIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinic::text {

// The email with surrounding white space removed and the domain lower-cased.
// INVALID_ARGUMENT (message without a field name) if it is not of the form
// local@domain.tld (one "@", a local part of 1-64 printable characters
// without spaces, a domain of letters/digits/hyphens labels with a dot, 254
// characters at most).
absl::StatusOr<std::string> NormalizeEmail(absl::string_view email);

}  // namespace clinic::text

#endif  // CLINIC_SERVICES_COMMON_TEXT_EMAIL_H_
