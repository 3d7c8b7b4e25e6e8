#ifndef CLINIC_SERVICES_GATEWAY_CONNECT_TIMEOUT_H_
#define CLINIC_SERVICES_GATEWAY_CONNECT_TIMEOUT_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace clinic::gateway {

// Parses the Connect-Timeout-Ms header: a positive integer of at most 10
// digits (the Connect spec). `header` is nullopt when the request has none;
// then the result is `default_timeout`. Anything else is INVALID_ARGUMENT.
absl::StatusOr<absl::Duration> ParseConnectTimeout(
    std::optional<absl::string_view> header, absl::Duration default_timeout);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_CONNECT_TIMEOUT_H_
