#include "services/patients/page_token.h"

#include <vector>

#include "services/common/db/page_token.h"

namespace clinic::patients {
namespace {

constexpr char kVersion[] = "p1";

}  // namespace

std::string FilterFingerprint(const ListQuery& q) {
  std::vector<std::string> parts = {q.name_prefix, q.phone, q.email,
                                    q.birth_date, q.show_archived ? "a" : "-"};
  // Added later: only when set, so that earlier tokens stay valid.
  if (!q.phone_suffix.empty()) parts.push_back(q.phone_suffix);
  return db::FilterFingerprint(parts);
}

std::string EncodePageToken(const ListCursor& c,
                            absl::string_view filter_fingerprint) {
  return db::EncodeNameCursor(kVersion, filter_fingerprint, c);
}

absl::StatusOr<ListCursor> DecodePageToken(
    absl::string_view token, absl::string_view filter_fingerprint) {
  return db::DecodeNameCursor(token, kVersion, filter_fingerprint);
}

}  // namespace clinic::patients
