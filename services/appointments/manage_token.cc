#include "services/appointments/manage_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/crypto/hmac.h"
#include "services/common/crypto/random_token.h"

namespace clinic::appointments {
using crypto::HmacSha256;

std::string ManageToken(absl::string_view key,
                        absl::string_view appointment_id) {
  std::string token;
  absl::WebSafeBase64Escape(
      HmacSha256(key, absl::StrCat("manage-link:", appointment_id)), &token);
  return token;  // WebSafeBase64Escape pads nothing: 43 characters.
}

std::string ManageTokenHash(absl::string_view token) {
  return crypto::Sha256(token);
}

bool LooksLikeManageToken(absl::string_view token) {
  // The same shape as the kit's random tokens: 43 base64url characters.
  return crypto::LooksLikeRandomToken(token);
}

std::string DeriveManageKey(absl::string_view secret) {
  return HmacSha256(secret, "clinic appointments manage-link key v1");
}

}  // namespace clinic::appointments
