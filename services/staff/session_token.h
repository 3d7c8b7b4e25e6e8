// Session tokens: 256 random bits, base64url without padding. Only the
// SHA-256 of a token is ever stored.
#ifndef CLINIC_SERVICES_STAFF_SESSION_TOKEN_H_
#define CLINIC_SERVICES_STAFF_SESSION_TOKEN_H_

#include <string>

#include "absl/strings/string_view.h"

namespace clinic::staff {

// 32 bytes from randombytes_buf, base64url (URL-safe, no padding): 43
// characters.
std::string NewSessionToken();

// SHA-256 of the token's text: 32 raw bytes.
std::string SessionTokenHash(absl::string_view token);

}  // namespace clinic::staff

#endif  // CLINIC_SERVICES_STAFF_SESSION_TOKEN_H_
