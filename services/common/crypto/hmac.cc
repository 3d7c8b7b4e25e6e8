#include "services/common/crypto/hmac.h"

#include <sodium.h>

#include <cstdlib>

namespace clinic::crypto {
namespace {

void Init() {
  static const bool kReady = [] {
    if (sodium_init() < 0) std::abort();
    return true;
  }();
  (void)kReady;
}

}  // namespace

std::string HmacSha256(absl::string_view key, absl::string_view message) {
  Init();
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(
      &state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(message.data()),
      message.size());
  crypto_auth_hmacsha256_final(&state, out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string Sha256(absl::string_view message) {
  Init();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out,
                     reinterpret_cast<const unsigned char*>(message.data()),
                     message.size());
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

bool SameBytes(absl::string_view a, absl::string_view b) {
  Init();
  return a.size() == b.size() &&
         sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace clinic::crypto
