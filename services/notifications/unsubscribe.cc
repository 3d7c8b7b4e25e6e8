#include "services/notifications/unsubscribe.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/crypto/hmac.h"
#include "services/common/text/text.h"

namespace clinic::notifications {
namespace {

std::string Mac(absl::string_view key, absl::string_view id) {
  std::string mac;
  absl::WebSafeBase64Escape(
      crypto::HmacSha256(key, absl::StrCat("unsubscribe:", id)), &mac);
  return mac;
}

}  // namespace

std::string DeriveUnsubscribeKey(absl::string_view secret) {
  return crypto::HmacSha256(secret, "clinic notifications unsubscribe key v1");
}

std::string UnsubscribeToken(absl::string_view key, absl::string_view patient) {
  absl::string_view id = patient;
  absl::ConsumePrefix(&id, "patients/");
  return absl::StrCat(id, ".", Mac(key, id));
}

absl::StatusOr<std::string> PatientOfToken(absl::string_view key,
                                           absl::string_view token) {
  const absl::Status unknown =
      absl::NotFoundError("This link does not work (any more).");
  const size_t dot = token.find('.');
  if (dot == absl::string_view::npos || token.size() > 120) return unknown;
  const absl::string_view id = token.substr(0, dot);
  if (!text::IsUuid(id) ||
      !crypto::SameBytes(Mac(key, id), token.substr(dot + 1))) {
    return unknown;
  }
  return absl::StrCat("patients/", id);
}

}  // namespace clinic::notifications
