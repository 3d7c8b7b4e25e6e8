#include "services/common/db/page_token.h"

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"

namespace clinic::db {
namespace {

constexpr char kSep = '\x1f';

uint64_t Fnv1a(absl::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string FilterFingerprint(const std::vector<std::string>& filters) {
  return absl::StrCat(
      absl::Hex(Fnv1a(absl::StrJoin(filters, std::string(1, kSep)))));
}

std::string EncodePageToken(absl::string_view version,
                            absl::string_view fingerprint,
                            const std::vector<std::string>& key) {
  const std::string sep(1, kSep);
  return absl::WebSafeBase64Escape(
      absl::StrCat(version, sep, fingerprint, sep, absl::StrJoin(key, sep)));
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(
    absl::string_view token, absl::string_view version,
    absl::string_view fingerprint, size_t key_size) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return status::InvalidField("page_token", "malformed");
  }
  std::vector<std::string> parts = absl::StrSplit(raw, kSep);
  if (parts.size() != key_size + 2 || parts[0] != version) {
    return status::InvalidField("page_token", "malformed");
  }
  if (parts[1] != fingerprint) {
    return status::InvalidField(
        "page_token", "was made for other filters; start again without it");
  }
  return std::vector<std::string>(parts.begin() + 2, parts.end());
}

std::string EncodeNameCursor(absl::string_view version,
                             absl::string_view fingerprint,
                             const NameCursor& c) {
  return EncodePageToken(version, fingerprint,
                         {c.family_key, c.given_key, c.id});
}

absl::StatusOr<NameCursor> DecodeNameCursor(absl::string_view token,
                                            absl::string_view version,
                                            absl::string_view fingerprint) {
  absl::StatusOr<std::vector<std::string>> key =
      DecodePageToken(token, version, fingerprint, 3);
  if (!key.ok()) return key.status();
  if (!text::IsUuid((*key)[2])) {
    return status::InvalidField("page_token", "malformed");
  }
  return NameCursor{(*key)[0], (*key)[1], (*key)[2]};
}

}  // namespace clinic::db
