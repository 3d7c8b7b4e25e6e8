#ifndef CLINIC_SERVICES_GATEWAY_REQUEST_ID_H_
#define CLINIC_SERVICES_GATEWAY_REQUEST_ID_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace clinic::gateway {

// True if a client-supplied X-Request-Id may be forwarded as is: 1 to 128
// characters from [A-Za-z0-9._:-] (so it cannot smuggle anything into logs
// or metadata).
bool IsSaneRequestId(absl::string_view id);

// A fresh random request id: 32 lowercase hex digits.
std::string NewRequestId();

// The client's id if sane, else a fresh one.
std::string RequestIdFor(std::optional<absl::string_view> header);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_REQUEST_ID_H_
