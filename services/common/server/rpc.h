// One way to serve a unary call, for every service (the callback API).
//
//   grpc::ServerUnaryReactor* PatientServiceImpl::GetPatient(
//       grpc::CallbackServerContext* context, const v1::GetPatientRequest* req,
//       v1::Patient* resp) {
//     return rpcs_.Serve(context, "GetPatient",
//                        [=](const server::Call& call) -> absl::Status {
//                          ...  // validate, call the store, fill *resp
//                        });
//   }
//
// On gRPC's thread Serve verifies the gateway's secret, reads the caller and
// checks the method's (clinic.api.v1.access) option; then it queues the body
// on a bounded WorkerPool (the body may block on PostgreSQL) and returns at
// once. A worker runs the body with the request id on its log lines, logs
// INTERNAL/UNKNOWN failures, reports any failure to the service's
// `on_failure` hook (the patients service audits it), and finishes the call
// with the status converted once (details included). A full queue answers
// UNAVAILABLE ("busy") instead of refusing a thread like the sync server
// did; a call whose deadline passed or which was cancelled while it waited
// is not run.
//
// The body runs after Serve returns: capture the request and response
// pointers by value ([=]), never locals of the handler by reference.
#ifndef CLINIC_SERVICES_COMMON_SERVER_RPC_H_
#define CLINIC_SERVICES_COMMON_SERVER_RPC_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <functional>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/common/server/caller.h"
#include "services/common/server/worker_pool.h"

namespace google::protobuf {
class ServiceDescriptor;
}  // namespace google::protobuf

namespace clinic::server {

// The body of a call: validate, do the work, fill the response.
using CallBody = absl::AnyInvocable<absl::Status(const Call&)>;

struct RpcOptions {
  // Where bodies run; null: WorkerPool::Default().
  WorkerPool* pool = nullptr;
  // Called on the worker when a call fails after its caller was verified
  // (access refusals included), with the resource the handler named.
  std::function<void(const Call&, const std::string& resource,
                     const absl::Status&)>
      on_failure;
};

class Rpcs {
 public:
  // `verifier` must outlive this; `service` is the full name, e.g.
  // "clinic.patients.v1.PatientService" (its descriptor must be linked in).
  Rpcs(const CallerVerifier* verifier, absl::string_view service,
       RpcOptions options = {});

  // Serves one call as described above. `resource` names what the call is
  // about ("patients/..."), for `on_failure`.
  grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* context,
                                  const char* method, CallBody body,
                                  std::string resource = "") const;

  // The same steps on the calling thread (verify, access, body, failure
  // hook, logging), without the queue.
  absl::Status Run(const grpc::ServerContextBase& context, const char* method,
                   CallBody& body, const std::string& resource) const;

  const std::string& service() const { return service_; }

 private:
  // Verifies the caller and checks access; fills `call`.
  absl::Status Admit(const grpc::ServerContextBase& context, const char* method,
                     Call& call) const;
  absl::Status Finish(const Call& call, absl::Status result,
                      const std::string& resource) const;

  const CallerVerifier* verifier_;
  std::string service_;
  const google::protobuf::ServiceDescriptor* descriptor_;
  RpcOptions options_;
};

// Page size: 0 -> `default_size`, capped at `max_size`; negative is
// INVALID_ARGUMENT on page_size.
absl::StatusOr<int> PageSize(int requested, int default_size, int max_size);

}  // namespace clinic::server

#endif  // CLINIC_SERVICES_COMMON_SERVER_RPC_H_
