#include "services/common/db/page_token.h"

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

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
    return absl::InvalidArgumentError("page_token: malformed");
  }
  std::vector<std::string> parts = absl::StrSplit(raw, kSep);
  if (parts.size() != key_size + 2 || parts[0] != version) {
    return absl::InvalidArgumentError("page_token: malformed");
  }
  if (parts[1] != fingerprint) {
    return absl::InvalidArgumentError(
        "page_token: was made for other filters; start again without it");
  }
  return std::vector<std::string>(parts.begin() + 2, parts.end());
}

}  // namespace clinic::db
