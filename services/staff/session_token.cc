#include "services/staff/session_token.h"

#include <sodium.h>

#include "services/staff/passwords.h"

namespace clinic::staff {

std::string NewSessionToken() {
  InitSodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof(bytes));
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  char out[sodium_base64_ENCODED_LEN(sizeof(bytes), kVariant)];
  sodium_bin2base64(out, sizeof(out), bytes, sizeof(bytes), kVariant);
  sodium_memzero(bytes, sizeof(bytes));
  return std::string(out);
}

std::string SessionTokenHash(absl::string_view token) {
  InitSodium();
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  return std::string(reinterpret_cast<const char*>(hash), sizeof(hash));
}

}  // namespace clinic::staff
