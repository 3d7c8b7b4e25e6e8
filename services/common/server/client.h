// Outbound gRPC calls: every call carries a deadline, and channels retry
// what is safe to repeat.
#ifndef CLINIC_SERVICES_COMMON_SERVER_CLIENT_H_
#define CLINIC_SERVICES_COMMON_SERVER_CLIENT_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace clinic::server {

// The system's gRPC services (as deploy/services.roster lists them; a test
// keeps the two the same).
const std::vector<std::string>& ClinicServices();

// The service config of every channel: for each method of the clinic
// services linked into this binary that is safe to repeat, a retry policy
// for UNAVAILABLE (up to 4 attempts, backoff 0.1 s doubling to 1 s, within
// the call's deadline). Safe: reads (Get, List, Find, Resolve, Read,
// Validate, Existing, Search, Check...) and every method whose request
// carries a request_id (a retry answers the first attempt's result).
std::string RetryServiceConfig();

// A channel to `target` ("host:port", "ipv4:a:p,b:p" or "dns:///name:port")
// that balances round-robin over every address, reconnects within 1 s of a
// restarted service listening again (reconnect backoff 0.1 s to 1 s), and
// retries as RetryServiceConfig says.
std::shared_ptr<grpc::Channel> NewChannel(const std::string& target);

// A client context whose deadline is `timeout` from now.
std::unique_ptr<grpc::ClientContext> NewCallContext(absl::Duration timeout);

}  // namespace clinic::server

#endif  // CLINIC_SERVICES_COMMON_SERVER_CLIENT_H_
