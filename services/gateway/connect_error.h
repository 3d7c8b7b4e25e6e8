#ifndef CLINIC_SERVICES_GATEWAY_CONNECT_ERROR_H_
#define CLINIC_SERVICES_GATEWAY_CONNECT_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace clinic::gateway {

// The Connect protocol's name for a status code ("invalid_argument"). The
// numbering of absl::StatusCode is the same as gRPC's. OK maps to "ok"; a code
// outside the known range maps to "unknown".
absl::string_view ConnectCodeName(absl::StatusCode code);

// The HTTP status the Connect protocol specifies for an error code
// (https://connectrpc.com/docs/protocol#error-codes). OK maps to 200.
int HttpStatusForCode(absl::StatusCode code);

// The Connect unary error body: {"code":"not_found","message":"..."}. The
// message is omitted when empty. Payloads typed "type.googleapis.com/<name>"
// (google.rpc.BadRequest, ErrorInfo: services/common/status/errors.h) become
// Connect error details: "details":[{"type":"<name>","value":"<base64>"}],
// which connect-web's ConnectError.findDetails() decodes.
std::string ConnectErrorJson(const absl::Status& status);

// Escapes `text` as the contents of a JSON string (without the quotes).
std::string JsonEscape(absl::string_view text);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_CONNECT_ERROR_H_
