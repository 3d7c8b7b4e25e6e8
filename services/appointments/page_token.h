// Opaque page tokens: the keyset position after the last row, and a
// fingerprint of the filters so a token is refused with other filters.
#ifndef CLINIC_SERVICES_APPOINTMENTS_PAGE_TOKEN_H_
#define CLINIC_SERVICES_APPOINTMENTS_PAGE_TOKEN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinic::appointments {

// A stable fingerprint of filter values (FNV-1a over the joined parts).
std::string FilterFingerprint(const std::vector<std::string>& parts);

std::string EncodePageToken(const std::vector<std::string>& key,
                            absl::string_view fingerprint);

// The key, which must have `key_size` parts; INVALID_ARGUMENT
// ("page_token: ...") if malformed or made for other filters.
absl::StatusOr<std::vector<std::string>> DecodePageToken(
    absl::string_view token, absl::string_view fingerprint, size_t key_size);

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_PAGE_TOKEN_H_
