// Validation of staff requests: pure functions, no I/O. Every error is
// INVALID_ARGUMENT with a message that starts with the field's path, e.g.
// "staff_member.roles: at least one role".
#ifndef CLINIC_SERVICES_STAFF_VALIDATION_H_
#define CLINIC_SERVICES_STAFF_VALIDATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clinic/staff/v1/staff.pb.h"

namespace clinic::staff {

// Limits (names in Unicode code points).
inline constexpr size_t kMaxNameLength = 100;
inline constexpr size_t kMaxEmailLength = 254;
inline constexpr int kMaxCredentials = 8;
inline constexpr size_t kMaxCredentialLength = 16;
inline constexpr int kMaxHomeLocations = 20;
inline constexpr size_t kMaxUserAgentLength = 200;
inline constexpr size_t kMaxClientAddressLength = 64;

// Checks and normalizes `member` in place for storage: trims and folds
// spaces in names, normalizes the email (NormalizeEmail), sorts the roles.
// Output-only fields (name, state, times, etag) are cleared. `field` is the
// path prefix used in messages ("staff_member").
absl::Status NormalizeAndValidateMember(absl::string_view field,
                                        v1::StaffMember& member);

// Checks "locations/{id}" ({id}: 1-63 lower-case letters, digits, hyphens).
absl::Status ValidateLocationName(absl::string_view field,
                                  absl::string_view name);

// Checks "staff/{uuid}" and returns the lower-case uuid.
absl::StatusOr<std::string> ParseMemberName(absl::string_view field,
                                            absl::string_view name);

struct SessionName {
  std::string member_id;
  std::string session_id;
};

// Checks "staff/{uuid}/sessions/{uuid}".
absl::StatusOr<SessionName> ParseSessionName(absl::string_view field,
                                             absl::string_view name);

// `text` without control characters, cut to at most `max` code points
// (never inside a UTF-8 sequence). For the user agent and client address.
std::string SanitizeForDisplay(absl::string_view text, size_t max);

}  // namespace clinic::staff

#endif  // CLINIC_SERVICES_STAFF_VALIDATION_H_
