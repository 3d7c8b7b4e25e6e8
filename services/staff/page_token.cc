#include "services/staff/page_token.h"

#include <cstdint>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace clinic::staff {
namespace {

constexpr char kSep = '\x1f';
constexpr absl::string_view kVersion = "s1";

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

std::string FilterFingerprint(const ListQuery& q) {
  return absl::StrCat(absl::Hex(Fnv1a(
      absl::StrCat(q.role, std::string(1, kSep), q.home_location,
                   std::string(1, kSep), q.show_deactivated ? "d" : "-"))));
}

std::string EncodePageToken(const ListCursor& c,
                            absl::string_view filter_fingerprint) {
  const std::string sep(1, kSep);
  return absl::WebSafeBase64Escape(
      absl::StrCat(kVersion, sep, filter_fingerprint, sep, c.family_key, sep,
                   c.given_key, sep, c.id));
}

absl::StatusOr<ListCursor> DecodePageToken(
    absl::string_view token, absl::string_view filter_fingerprint) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) {
    return absl::InvalidArgumentError("page_token: malformed");
  }
  std::vector<std::string> parts = absl::StrSplit(raw, kSep);
  if (parts.size() != 5 || parts[0] != kVersion || parts[4].size() != 36) {
    return absl::InvalidArgumentError("page_token: malformed");
  }
  if (parts[1] != filter_fingerprint) {
    return absl::InvalidArgumentError(
        "page_token: was made for other filters; start again without it");
  }
  return ListCursor{parts[2], parts[3], parts[4]};
}

}  // namespace clinic::staff
