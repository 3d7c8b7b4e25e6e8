// The unsubscribe link of reminders: "<patient uuid>.<HMAC>", signed with
// a key derived from the service's secret. Pure.
#ifndef CLINIC_SERVICES_NOTIFICATIONS_UNSUBSCRIBE_H_
#define CLINIC_SERVICES_NOTIFICATIONS_UNSUBSCRIBE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinic::notifications {

// The key for tokens, from the gateway secret (a new secret retires every
// link).
std::string DeriveUnsubscribeKey(absl::string_view secret);

// The token for "patients/{uuid}".
std::string UnsubscribeToken(absl::string_view key, absl::string_view patient);

// The patient ("patients/{uuid}") a token names, or NOT_FOUND (the same for
// every bad token).
absl::StatusOr<std::string> PatientOfToken(absl::string_view key,
                                           absl::string_view token);

}  // namespace clinic::notifications

#endif  // CLINIC_SERVICES_NOTIFICATIONS_UNSUBSCRIBE_H_
