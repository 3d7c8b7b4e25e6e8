// Conversion between absl::Status (core code) and grpc::Status (the RPC edge).
// Core code returns absl::Status; this is the one place it becomes gRPC's.
#ifndef CLINIC_SERVICES_COMMON_STATUS_STATUS_H_
#define CLINIC_SERVICES_COMMON_STATUS_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace clinic::status {

// Same code and message; payloads typed "type.googleapis.com/..." (see
// errors.h) travel as google.rpc.Status details (grpc-status-details-bin).
// INTERNAL and UNKNOWN keep their message: callers must
// not put SQL or stack traces in a status (db::StatusFromException does not).
grpc::Status ToGrpcStatus(const absl::Status& status);

// Same code, message and details; for results of outbound calls.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace clinic::status

#endif  // CLINIC_SERVICES_COMMON_STATUS_STATUS_H_
