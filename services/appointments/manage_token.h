// Manage-link tokens: 256 bits from HMAC-SHA-256 of the appointment under a
// key only the appointments service holds (the same appointment always gets
// the same token, so a retried online booking answers the same link), and
// the SHA-256 that is all the database keeps. libsodium; no I/O.
#ifndef CLINIC_SERVICES_APPOINTMENTS_MANAGE_TOKEN_H_
#define CLINIC_SERVICES_APPOINTMENTS_MANAGE_TOKEN_H_

#include <string>

#include "absl/strings/string_view.h"

namespace clinic::appointments {

// The token of `appointment_id` under `key`: 43 characters of unpadded
// base64url.
std::string ManageToken(absl::string_view key,
                        absl::string_view appointment_id);

// SHA-256 of the token (32 bytes), as stored.
std::string ManageTokenHash(absl::string_view token);

// True for a string shaped like a token (43 base64url characters); others
// need no lookup.
bool LooksLikeManageToken(absl::string_view token);

// A key derived from another secret (the gateway's): HMAC-SHA-256 of a
// fixed label.
std::string DeriveManageKey(absl::string_view secret);

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_MANAGE_TOKEN_H_
