// Opaque keyset page tokens for List RPCs (AIP-158): a version tag, a
// fingerprint of the request's filters (a token is refused with other
// filters), and the sort key of the last row shown, base64url-encoded.
#ifndef CLINIC_SERVICES_COMMON_DB_PAGE_TOKEN_H_
#define CLINIC_SERVICES_COMMON_DB_PAGE_TOKEN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinic::db {

// A stable fingerprint of the filter values (FNV-1a: the same in every
// process and build, unlike absl::Hash, which is seeded).
std::string FilterFingerprint(const std::vector<std::string>& filters);

// `version` tells one List's tokens from another's, e.g. "p1".
std::string EncodePageToken(absl::string_view version,
                            absl::string_view fingerprint,
                            const std::vector<std::string>& key);

// The key parts (exactly `key_size`); INVALID_ARGUMENT "page_token: ..." if
// the token is malformed, of another List, or made for other filters.
absl::StatusOr<std::vector<std::string>> DecodePageToken(
    absl::string_view token, absl::string_view version,
    absl::string_view fingerprint, size_t key_size);

// The position in a list ordered by family name, given name, then id (the
// staff and patient lists): the lower-cased names and the row's uuid.
struct NameCursor {
  std::string family_key;  // lower(family_name)
  std::string given_key;   // lower(given_name)
  std::string id;
};

std::string EncodeNameCursor(absl::string_view version,
                             absl::string_view fingerprint,
                             const NameCursor& cursor);

// As DecodePageToken; also INVALID_ARGUMENT if the id is not a uuid.
absl::StatusOr<NameCursor> DecodeNameCursor(absl::string_view token,
                                            absl::string_view version,
                                            absl::string_view fingerprint);

}  // namespace clinic::db

#endif  // CLINIC_SERVICES_COMMON_DB_PAGE_TOKEN_H_
