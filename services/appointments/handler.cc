#include "services/appointments/handler.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/db/request_key.h"
#include "services/common/server/log.h"
#include "services/common/status/status.h"

namespace clinic::appointments {

Handler::Handler(const server::CallerVerifier* verifier, std::string service)
    : verifier_(verifier), service_(std::move(service)) {}

grpc::Status Handler::Handle(
    grpc::ServerContext* context, const char* method,
    absl::FunctionRef<absl::Status(const server::Caller&)> body) const {
  absl::StatusOr<server::Caller> caller = verifier_->Verify(*context);
  if (!caller.ok()) {
    server::LogWarning(method, ": refused a call without the gateway secret");
    return status::ToGrpcStatus(caller.status());
  }
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          service_);
  const google::protobuf::MethodDescriptor* m =
      service == nullptr ? nullptr : service->FindMethodByName(method);
  if (m == nullptr) {
    return status::ToGrpcStatus(absl::InternalError(
        absl::StrCat("no descriptor for ", service_, "/", method)));
  }
  absl::Status result = server::CheckAccess(*caller, *m);
  if (result.ok()) result = body(*caller);
  if (result.code() == absl::StatusCode::kInternal ||
      result.code() == absl::StatusCode::kUnknown) {
    server::LogError(service_, "/", method, ": ", result.ToString());
  }
  return status::ToGrpcStatus(result);
}

absl::StatusOr<int> PageSize(int requested, int default_size, int max_size) {
  if (requested < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  if (requested == 0) return default_size;
  return std::min(requested, max_size);
}

}  // namespace clinic::appointments
