#include "services/appointments/manage_token.h"

#include <sodium.h>

#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace clinic::appointments {
namespace {

void Init() {
  static const bool kReady = [] {
    if (sodium_init() < 0) std::abort();
    return true;
  }();
  (void)kReady;
}

std::string Hmac(absl::string_view key, absl::string_view message) {
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

}  // namespace

std::string ManageToken(absl::string_view key,
                        absl::string_view appointment_id) {
  std::string token;
  absl::WebSafeBase64Escape(
      Hmac(key, absl::StrCat("manage-link:", appointment_id)), &token);
  return token;  // WebSafeBase64Escape pads nothing: 43 characters.
}

std::string ManageTokenHash(absl::string_view token) {
  Init();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

bool LooksLikeManageToken(absl::string_view token) {
  if (token.size() != 43) return false;
  for (char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string DeriveManageKey(absl::string_view secret) {
  return Hmac(secret, "clinic appointments manage-link key v1");
}

}  // namespace clinic::appointments
