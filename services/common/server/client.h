// Outbound gRPC calls: every call carries a deadline.
#ifndef CLINIC_SERVICES_COMMON_SERVER_CLIENT_H_
#define CLINIC_SERVICES_COMMON_SERVER_CLIENT_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <memory>
#include <string>

#include "absl/time/time.h"

namespace clinic::server {

// A channel to `target` ("host:port" or "dns:///name:port") that balances
// round-robin over every address the name resolves to.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& target);

// A client context whose deadline is `timeout` from now.
std::unique_ptr<grpc::ClientContext> NewCallContext(absl::Duration timeout);

}  // namespace clinic::server

#endif  // CLINIC_SERVICES_COMMON_SERVER_CLIENT_H_
