// HMAC-SHA-256 and a constant-time comparison (libsodium), for tokens a
// service derives from a key only it holds (manage links, unsubscribe
// links).
#ifndef CLINIC_SERVICES_COMMON_CRYPTO_HMAC_H_
#define CLINIC_SERVICES_COMMON_CRYPTO_HMAC_H_

#include <string>

#include "absl/strings/string_view.h"

namespace clinic::crypto {

// The 32-byte HMAC-SHA-256 of `message` under `key`.
std::string HmacSha256(absl::string_view key, absl::string_view message);

// The 32-byte SHA-256 of `message`.
std::string Sha256(absl::string_view message);

// Whether `a` and `b` are equal, in time that depends only on their length.
bool SameBytes(absl::string_view a, absl::string_view b);

}  // namespace clinic::crypto

#endif  // CLINIC_SERVICES_COMMON_CRYPTO_HMAC_H_
