#ifndef CLINIC_SERVICES_GATEWAY_HEALTH_CODEC_H_
#define CLINIC_SERVICES_GATEWAY_HEALTH_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinic::gateway {

// The gRPC health protocol (grpc.health.v1), encoded by hand.
//
// Why by hand: Debian ships libgrpc++ with the health *service* built in, but
// no generated C++ message classes or stubs for grpc/health/v1/health.proto
// (no header, no library), and vendoring the .proto only to generate two
// one-field messages is more build than it is worth. Both messages are a
// single field, so the wire format is a few bytes:
//   HealthCheckRequest  { string service = 1; }
//   HealthCheckResponse { ServingStatus status = 1; }  // SERVING = 1

inline constexpr char kHealthCheckMethod[] = "/grpc.health.v1.Health/Check";
inline constexpr int kServing = 1;

// HealthCheckRequest{service}: tag 0x0a, varint length, bytes.
std::string EncodeHealthCheckRequest(absl::string_view service);

// The `status` field of a HealthCheckResponse (0, UNKNOWN, when absent).
// Unknown fields are skipped. INVALID_ARGUMENT for malformed bytes.
absl::StatusOr<int> DecodeHealthCheckStatus(absl::string_view bytes);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_HEALTH_CODEC_H_
