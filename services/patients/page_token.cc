#include "services/patients/page_token.h"

#include <vector>

#include "services/common/db/page_token.h"
#include "services/common/status/errors.h"

namespace clinic::patients {
namespace {

constexpr char kVersion[] = "p1";

}  // namespace

std::string FilterFingerprint(const ListQuery& q) {
  return db::FilterFingerprint({q.name_prefix, q.phone, q.email, q.birth_date,
                                q.show_archived ? "a" : "-"});
}

std::string EncodePageToken(const ListCursor& c,
                            absl::string_view filter_fingerprint) {
  return db::EncodePageToken(kVersion, filter_fingerprint,
                             {c.family_key, c.given_key, c.id});
}

absl::StatusOr<ListCursor> DecodePageToken(
    absl::string_view token, absl::string_view filter_fingerprint) {
  absl::StatusOr<std::vector<std::string>> key =
      db::DecodePageToken(token, kVersion, filter_fingerprint, 3);
  if (!key.ok()) return key.status();
  if ((*key)[2].size() != 36) {  // the patient's UUID
    return status::InvalidField("page_token", "malformed");
  }
  return ListCursor{(*key)[0], (*key)[1], (*key)[2]};
}

}  // namespace clinic::patients
