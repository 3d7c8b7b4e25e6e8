#include "services/appointments/page_token.h"

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace clinic::appointments {
namespace {

constexpr char kSep = '\x1f';
constexpr char kVersion[] = "a1";

// FNV-1a, 64 bit: stable across processes and builds (absl::Hash is seeded).
uint64_t Fnv1a(absl::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string FilterFingerprint(const std::vector<std::string>& parts) {
  return absl::StrCat(
      absl::Hex(Fnv1a(absl::StrJoin(parts, std::string(1, kSep)))));
}

std::string EncodePageToken(const std::vector<std::string>& key,
                            absl::string_view fingerprint) {
  const std::string sep(1, kSep);
  return absl::WebSafeBase64Escape(
      absl::StrCat(kVersion, sep, fingerprint, sep, absl::StrJoin(key, sep)));
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(
    absl::string_view token, absl::string_view fingerprint, size_t key_size) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return absl::InvalidArgumentError("page_token: malformed");
  }
  std::vector<std::string> parts = absl::StrSplit(raw, kSep);
  if (parts.size() != key_size + 2 || parts[0] != kVersion) {
    return absl::InvalidArgumentError("page_token: malformed");
  }
  if (parts[1] != fingerprint) {
    return absl::InvalidArgumentError(
        "page_token: was made for other filters; start again without it");
  }
  return std::vector<std::string>(parts.begin() + 2, parts.end());
}

}  // namespace clinic::appointments
