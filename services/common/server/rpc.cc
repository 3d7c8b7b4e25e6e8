#include "services/common/server/rpc.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "services/common/server/log.h"
#include "services/common/server/text_guard.h"
#include "services/common/status/errors.h"
#include "services/common/status/status.h"

namespace clinic::server {

Rpcs::Rpcs(const CallerVerifier* verifier, absl::string_view service,
           RpcOptions options)
    : verifier_(verifier),
      service_(service),
      descriptor_(
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
              service_)),
      options_(std::move(options)) {
  if (options_.pool == nullptr) options_.pool = WorkerPool::Default();
}

absl::Status Rpcs::Admit(const grpc::ServerContextBase& context,
                         const char* method, Call& call) const {
  if (absl::Status text = TakeTextViolations(context); !text.ok()) {
    return text;
  }
  absl::StatusOr<Caller> caller = verifier_->Verify(context);
  if (!caller.ok()) {
    LogWarning(service_, "/", method,
               ": refused a call without the gateway secret");
    return caller.status();
  }
  static_cast<Caller&>(call) = *std::move(caller);
  call.method = absl::StrCat(service_, "/", method);
  const google::protobuf::MethodDescriptor* m =
      descriptor_ == nullptr ? nullptr : descriptor_->FindMethodByName(method);
  if (m == nullptr) {
    return absl::InternalError(absl::StrCat("no descriptor for ", call.method));
  }
  return CheckAccess(call, *m);
}

absl::Status Rpcs::Finish(const Call& call, absl::Status result,
                          const std::string& resource) const {
  if (result.code() == absl::StatusCode::kInternal ||
      result.code() == absl::StatusCode::kUnknown) {
    LogError(call.method, ": ", result.ToString());
  }
  if (!result.ok() && options_.on_failure && !call.method.empty()) {
    options_.on_failure(call, resource, result);
  }
  return result;
}

absl::Status Rpcs::Run(const grpc::ServerContextBase& context,
                       const char* method, CallBody& body,
                       const std::string& resource) const {
  Call call;
  absl::Status result = Admit(context, method, call);
  if (call.method.empty()) return result;  // the caller is not verified
  ScopedRequestId log_id(call.request_id);
  if (result.ok()) result = body(call);
  return Finish(call, std::move(result), resource);
}

grpc::ServerUnaryReactor* Rpcs::Serve(grpc::CallbackServerContext* context,
                                      const char* method, CallBody body,
                                      std::string resource) const {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto call = std::make_shared<Call>();
  absl::Status admitted = Admit(*context, method, *call);
  if (!admitted.ok()) {
    if (!call->method.empty()) {
      // The worker would only record the refusal: do it there, not here.
      const bool queued = options_.pool->TrySubmit(
          [this, call, admitted, resource = std::move(resource), reactor] {
            ScopedRequestId log_id(call->request_id);
            reactor->Finish(
                status::ToGrpcStatus(Finish(*call, admitted, resource)));
          });
      if (queued) return reactor;
    }
    reactor->Finish(status::ToGrpcStatus(admitted));
    return reactor;
  }
  const bool queued = options_.pool->TrySubmit(
      [this, call, body = std::move(body), resource = std::move(resource),
       context, reactor]() mutable {
        ScopedRequestId log_id(call->request_id);
        absl::Status result;
        if (context->IsCancelled()) {
          result = absl::CancelledError("the call was cancelled while queued");
        } else if (context->deadline() <= std::chrono::system_clock::now()) {
          result = absl::DeadlineExceededError(
              "the deadline passed while the call waited for a worker");
        } else {
          result = body(*call);
        }
        reactor->Finish(status::ToGrpcStatus(Finish(*call, result, resource)));
      });
  if (!queued) {
    LogWarning(call->method, ": refused, ", options_.pool->max_queued(),
               " calls already waiting");
    reactor->Finish(status::ToGrpcStatus(
        absl::UnavailableError("the service is busy; try again shortly")));
  }
  return reactor;
}

absl::StatusOr<int> PageSize(int requested, int default_size, int max_size) {
  if (requested < 0) {
    return status::InvalidField("page_size", "must not be negative");
  }
  if (requested == 0) return default_size;
  return std::min(requested, max_size);
}

}  // namespace clinic::server
