// Secret tokens people hold (staff sessions, calendar feed URLs): 256
// random bits from libsodium, base64url without padding. Store only their
// Sha256 (hmac.h).
#ifndef CLINIC_SERVICES_COMMON_CRYPTO_RANDOM_TOKEN_H_
#define CLINIC_SERVICES_COMMON_CRYPTO_RANDOM_TOKEN_H_

#include <string>

#include "absl/strings/string_view.h"

namespace clinic::crypto {

// 32 bytes from randombytes_buf, base64url: 43 characters.
std::string NewRandomToken();

// True for a string shaped like one (43 base64url characters); others need
// no lookup.
bool LooksLikeRandomToken(absl::string_view token);

}  // namespace clinic::crypto

#endif  // CLINIC_SERVICES_COMMON_CRYPTO_RANDOM_TOKEN_H_
