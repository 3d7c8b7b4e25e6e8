#ifndef CLINIC_SERVICES_GATEWAY_CONNECT_CODEC_H_
#define CLINIC_SERVICES_GATEWAY_CONNECT_CODEC_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "services/gateway/content_type.h"

namespace clinic::gateway {

// "/clinic.patients.v1.PatientService/GetPatient", split.
struct RpcPath {
  std::string service;  // "clinic.patients.v1.PatientService"
  std::string method;   // "GetPatient"
};

// True for paths shaped like a Connect procedure: exactly two non-empty
// segments, the first a dotted full service name and the second without a
// dot. ("/assets/app.js" and "/staff/x" are not.)
std::optional<RpcPath> ParseRpcPath(absl::string_view path);

// The method in the generated descriptor pool (every proto library linked into
// the binary), or nullptr.
const google::protobuf::MethodDescriptor* FindMethod(const RpcPath& path);

// Turns a Connect request body into the binary protobuf to send to the
// backend. JSON: refused if nested deeper than kMaxJsonDepth (before parsing),
// unknown fields refused, empty body read as {}. Binary: must parse as the
// input type; passed through unchanged. Errors are INVALID_ARGUMENT with the
// parser's message.
absl::StatusOr<std::string> RequestToWire(
    const google::protobuf::MethodDescriptor& method, Codec codec,
    absl::string_view body);

// Turns the backend's binary response into the Connect response body: JSON
// with lowerCamelCase names and default values omitted, or the bytes as they
// are (after checking they parse). INTERNAL if the bytes do not parse.
absl::StatusOr<std::string> ResponseFromWire(
    const google::protobuf::MethodDescriptor& method, Codec codec,
    absl::string_view wire);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_CONNECT_CODEC_H_
