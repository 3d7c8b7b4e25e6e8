// Opaque page tokens for ListStaffMembers: the position after the last row
// and a fingerprint of the filters, so a token is refused with other filters.
#ifndef CLINIC_SERVICES_STAFF_PAGE_TOKEN_H_
#define CLINIC_SERVICES_STAFF_PAGE_TOKEN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/staff/store.h"

namespace clinic::staff {

// A stable fingerprint of the filter fields of `query` (not of the cursor or
// the page size).
std::string FilterFingerprint(const ListQuery& query);

std::string EncodePageToken(const ListCursor& cursor,
                            absl::string_view filter_fingerprint);

// INVALID_ARGUMENT ("page_token: ...") if the token is malformed or was made
// for other filters.
absl::StatusOr<ListCursor> DecodePageToken(
    absl::string_view token, absl::string_view filter_fingerprint);

}  // namespace clinic::staff

#endif  // CLINIC_SERVICES_STAFF_PAGE_TOKEN_H_
