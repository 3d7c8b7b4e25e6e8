#ifndef CLINIC_SERVICES_GATEWAY_RETRY_AFTER_H_
#define CLINIC_SERVICES_GATEWAY_RETRY_AFTER_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace clinic::gateway {

// The Retry-After header's value for a wait: whole seconds, rounded up, at
// least 1.
std::string RetryAfterValue(absl::Duration wait);

// The wait a RESOURCE_EXHAUSTED message asks for: "... try again in 15
// minutes" (also "1 minute", "30 seconds", "2 hours", "in 90s"), or
// `fallback` when the message names none. At most a day.
absl::Duration WaitFromMessage(absl::string_view message,
                               absl::Duration fallback);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_RETRY_AFTER_H_
