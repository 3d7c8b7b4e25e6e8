#include "services/staff/page_token.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/db/page_token.h"

namespace clinic::staff {
namespace {

constexpr char kVersion[] = "s1";

}  // namespace

std::string FilterFingerprint(const ListQuery& q) {
  return db::FilterFingerprint(
      {absl::StrCat(q.role), q.home_location, q.show_deactivated ? "d" : "-"});
}

std::string EncodePageToken(const ListCursor& c,
                            absl::string_view filter_fingerprint) {
  return db::EncodeNameCursor(kVersion, filter_fingerprint, c);
}

absl::StatusOr<ListCursor> DecodePageToken(
    absl::string_view token, absl::string_view filter_fingerprint) {
  return db::DecodeNameCursor(token, kVersion, filter_fingerprint);
}

}  // namespace clinic::staff
