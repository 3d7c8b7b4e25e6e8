#ifndef CLINIC_SERVICES_GATEWAY_CONTENT_TYPE_H_
#define CLINIC_SERVICES_GATEWAY_CONTENT_TYPE_H_

#include <optional>

#include "absl/strings/string_view.h"

namespace clinic::gateway {

// The two encodings of a Connect unary message.
enum class Codec { kJson, kProto };

// Parses a request's Content-Type for a Connect unary call:
// "application/json" and "application/proto", case-insensitively, with
// optional parameters of which only "charset=utf-8" is accepted (for JSON).
// Returns nullopt for anything else (missing, other types, other charsets).
std::optional<Codec> ParseConnectContentType(absl::string_view header);

// The Content-Type of a response in `codec`.
absl::string_view ContentTypeFor(Codec codec);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_CONTENT_TYPE_H_
