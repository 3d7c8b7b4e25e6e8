#include "services/staff/session_token.h"

#include <sodium.h>

#include "services/common/crypto/random_token.h"
#include "services/staff/passwords.h"

namespace clinic::staff {

std::string NewSessionToken() { return crypto::NewRandomToken(); }

std::string SessionTokenHash(absl::string_view token) {
  InitSodium();
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  return std::string(reinterpret_cast<const char*>(hash), sizeof(hash));
}

}  // namespace clinic::staff
