#include "services/common/crypto/random_token.h"

#include <sodium.h>

#include <cstdlib>

namespace clinic::crypto {

std::string NewRandomToken() {
  if (sodium_init() < 0) std::abort();  // no randomness: never go on
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof(bytes));
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  char out[sodium_base64_ENCODED_LEN(sizeof(bytes), kVariant)];
  sodium_bin2base64(out, sizeof(out), bytes, sizeof(bytes), kVariant);
  sodium_memzero(bytes, sizeof(bytes));
  return std::string(out);
}

bool LooksLikeRandomToken(absl::string_view token) {
  if (token.size() != 43) return false;
  for (char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace clinic::crypto
