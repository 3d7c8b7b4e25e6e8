#include "services/common/testing/faults.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>
#include <grpcpp/support/client_interceptor.h>

#include <utility>
#include <vector>

namespace clinic::testing {
namespace {

namespace gx = grpc::experimental;

constexpr char kInjected[] = "injected failure";

// One call: hijacked before it is sent (kBefore), or its status replaced
// once the server answered (kAfter).
class FaultInterceptor : public gx::Interceptor {
 public:
  FaultInterceptor(bool fail, Faults::When when) : fail_(fail), when_(when) {}

  void Intercept(gx::InterceptorBatchMethods* methods) override {
    using Hook = gx::InterceptionHookPoints;
    if (!fail_) {
      methods->Proceed();
      return;
    }
    if (when_ == Faults::kBefore) {
      bool hijack = false;
      if (methods->QueryInterceptionHookPoint(
              Hook::PRE_SEND_INITIAL_METADATA)) {
        hijack = true;
      }
      if (methods->QueryInterceptionHookPoint(Hook::PRE_RECV_MESSAGE)) {
        methods->FailHijackedRecvMessage();
      }
      if (methods->QueryInterceptionHookPoint(Hook::PRE_RECV_STATUS)) {
        *methods->GetRecvStatus() =
            grpc::Status(grpc::StatusCode::UNAVAILABLE, kInjected);
      }
      if (hijack) {
        methods->Hijack();
      } else {
        methods->Proceed();
      }
      return;
    }
    if (methods->QueryInterceptionHookPoint(Hook::POST_RECV_STATUS)) {
      *methods->GetRecvStatus() =
          grpc::Status(grpc::StatusCode::UNAVAILABLE, kInjected);
    }
    methods->Proceed();
  }

 private:
  const bool fail_;
  const Faults::When when_;
};

class FaultInterceptorFactory : public gx::ClientInterceptorFactoryInterface {
 public:
  explicit FaultInterceptorFactory(Faults* faults) : faults_(faults) {}

  gx::Interceptor* CreateClientInterceptor(gx::ClientRpcInfo* info) override {
    Faults::When when = Faults::kBefore;
    const bool fail = faults_->Take(info->method(), &when);
    return new FaultInterceptor(fail, when);
  }

 private:
  Faults* faults_;
};

}  // namespace

std::shared_ptr<grpc::Channel> Faults::Channel(const std::string& target) {
  std::vector<std::unique_ptr<gx::ClientInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<FaultInterceptorFactory>(this));
  return gx::CreateCustomChannelWithInterceptors(
      target, grpc::InsecureChannelCredentials(), grpc::ChannelArguments(),
      std::move(creators));
}

void Faults::Fail(const std::string& method, When when, int times) {
  absl::MutexLock lock(&mu_);
  Plan& plan = plans_[method];
  plan.when = when;
  plan.remaining = times;
}

int Faults::failed(const std::string& method) const {
  absl::MutexLock lock(&mu_);
  auto it = plans_.find(method);
  return it == plans_.end() ? 0 : it->second.failed;
}

bool Faults::Take(const std::string& method, When* when) {
  absl::MutexLock lock(&mu_);
  auto it = plans_.find(method);
  if (it == plans_.end() || it->second.remaining <= 0) return false;
  --it->second.remaining;
  ++it->second.failed;
  *when = it->second.when;
  return true;
}

}  // namespace clinic::testing
