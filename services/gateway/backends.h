#ifndef CLINIC_SERVICES_GATEWAY_BACKENDS_H_
#define CLINIC_SERVICES_GATEWAY_BACKENDS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "services/common/server/caller.h"

namespace clinic::gateway {

// The gRPC side of the gateway: one channel per backend target, calls made
// with grpc::GenericStub (bytes in, bytes out) so no per-RPC code exists.
// gRPC types stay inside backends.cc to keep them out of the HTTP code's
// compile.
class Backends {
 public:
  // The outcome of one unary call: status, and on OK the response bytes.
  struct Reply {
    absl::Status status;
    std::string body;
  };
  // The health of one configured service.
  struct Health {
    std::string service;
    std::string target;
    bool serving = false;
    std::string detail;  // "SERVING", "NOT_SERVING", the RPC error, ...
  };

  // `service_to_target`: full service name -> gRPC target ("host:port").
  // `gateway_secret` goes on every call (x-clinic-gateway-secret).
  Backends(const std::map<std::string, std::string>& service_to_target,
           std::string gateway_secret);
  // Cancels calls still in flight and waits for their callbacks to finish.
  ~Backends();

  Backends(const Backends&) = delete;
  Backends& operator=(const Backends&) = delete;

  // True if `service` has a backend.
  bool Has(const std::string& service) const;

  // Calls `method_path` ("/pkg.Service/Method") on the backend of `service`
  // with the serialized `request`, a deadline, and the caller's identity in
  // the metadata of services/common/server/caller.h (with the secret).
  // UNAVAILABLE if `service` has no backend. Never blocks: `done` runs later
  // on a gRPC thread (or at once); it must not block either.
  void Call(const std::string& service, const std::string& method_path,
            std::string request, absl::Time deadline,
            const server::Caller& caller, std::function<void(Reply)> done);

  // Asks every backend's grpc.health.v1.Health/Check about its service, in
  // parallel, each with `timeout`; `done` gets one entry per configured
  // service (sorted by name) on a gRPC thread, or at once if there are none.
  void CheckHealth(absl::Duration timeout,
                   std::function<void(std::vector<Health>)> done);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_BACKENDS_H_
