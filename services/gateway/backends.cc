#include "services/gateway/backends.h"

#include <atomic>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"
#include "grpcpp/support/status.h"
#include "grpcpp/support/stub_options.h"
#include "services/common/server/client.h"
#include "services/common/status/status.h"
#include "services/gateway/health_codec.h"

namespace clinic::gateway {
namespace {

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromByteBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

// Code, message and error details (as status payloads).
absl::Status ToAbsl(const grpc::Status& s) { return status::FromGrpcStatus(s); }

}  // namespace

struct Backends::Impl {
  struct Target {
    std::string target;
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<grpc::GenericStub> stub;
  };
  // One state per call, alive until the gRPC callback has run.
  struct CallState {
    grpc::ClientContext context;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
  };

  explicit Impl(std::string secret) : verifier(std::move(secret)) {}

  const server::CallerVerifier verifier;
  std::map<std::string, std::shared_ptr<Target>> targets;   // by target
  std::map<std::string, std::shared_ptr<Target>> services;  // by service

  absl::Mutex mu;
  // Owns every call whose callback has not finished yet.
  std::map<CallState*, std::shared_ptr<CallState>> in_flight
      ABSL_GUARDED_BY(mu);

  // `caller`: null for health checks, which carry no identity.
  void Start(Target& t, const std::string& method, std::string request,
             absl::Time deadline, const server::Caller* caller,
             std::function<void(absl::Status, std::string)> done) {
    auto owned = std::make_shared<CallState>();
    CallState* call = owned.get();
    call->context.set_deadline(absl::ToChronoTime(deadline));
    if (caller != nullptr) verifier.Forward(*caller, call->context);
    call->request = ToByteBuffer(request);
    {
      absl::MutexLock lock(&mu);
      in_flight.emplace(call, std::move(owned));
    }
    t.stub->UnaryCall(&call->context, method, grpc::StubOptions(),
                      &call->request, &call->response,
                      [this, call, done = std::move(done)](grpc::Status s) {
                        std::string body;
                        if (s.ok()) body = FromByteBuffer(call->response);
                        done(ToAbsl(s), std::move(body));
                        // Destroys the call state (unless ~Backends holds
                        // it for a moment); nothing touches it afterwards.
                        absl::MutexLock lock(&mu);
                        in_flight.erase(call);
                      });
  }
};

Backends::Backends(const std::map<std::string, std::string>& service_to_target,
                   std::string gateway_secret)
    : impl_(std::make_unique<Impl>(std::move(gateway_secret))) {
  for (const auto& [service, target] : service_to_target) {
    std::shared_ptr<Impl::Target>& t = impl_->targets[target];
    if (t == nullptr) {
      t = std::make_shared<Impl::Target>();
      t->target = target;
      // Reconnects within 1 s of a restarted service listening again, and
      // retries what is safe to repeat (server/client.h). TODO: TLS and
      // per-service credentials when the services leave the private
      // network.
      t->channel = server::NewChannel(target);
      t->stub = std::make_unique<grpc::GenericStub>(t->channel);
    }
    impl_->services[service] = t;
  }
}

Backends::~Backends() {
  // Cancel outside the lock: a cancelled call's callback takes the lock.
  std::vector<std::shared_ptr<Impl::CallState>> calls;
  {
    absl::MutexLock lock(&impl_->mu);
    for (const auto& [ptr, call] : impl_->in_flight) calls.push_back(call);
  }
  for (const auto& call : calls) call->context.TryCancel();
  calls.clear();
  absl::MutexLock lock(&impl_->mu);
  impl_->mu.Await(absl::Condition(
      +[](std::map<Impl::CallState*, std::shared_ptr<Impl::CallState>>* m) {
        return m->empty();
      },
      &impl_->in_flight));
}

bool Backends::Has(const std::string& service) const {
  return impl_->services.count(service) > 0;
}

void Backends::Call(const std::string& service, const std::string& method_path,
                    std::string request, absl::Time deadline,
                    const server::Caller& caller,
                    std::function<void(Reply)> done) {
  auto it = impl_->services.find(service);
  if (it == impl_->services.end()) {
    done(Reply{absl::UnavailableError(
                   absl::StrCat("no backend configured for ", service)),
               ""});
    return;
  }
  impl_->Start(*it->second, method_path, std::move(request), deadline, &caller,
               [done = std::move(done)](absl::Status s, std::string body) {
                 done(Reply{std::move(s), std::move(body)});
               });
}

void Backends::CheckHealth(absl::Duration timeout,
                           std::function<void(std::vector<Health>)> done) {
  if (impl_->services.empty()) {
    done({});
    return;
  }
  // Shared by the parallel checks; the last one to finish reports.
  struct Gather {
    absl::Mutex mu;
    std::vector<Health> results;
    size_t remaining;
    std::function<void(std::vector<Health>)> done;
  };
  auto gather = std::make_shared<Gather>();
  gather->results.resize(impl_->services.size());
  gather->remaining = impl_->services.size();
  gather->done = std::move(done);
  const absl::Time deadline = absl::Now() + timeout;
  size_t i = 0;
  for (const auto& [service, target] : impl_->services) {
    gather->results[i].service = service;
    gather->results[i].target = target->target;
    impl_->Start(
        *target, kHealthCheckMethod, EncodeHealthCheckRequest(service),
        deadline, /*caller=*/nullptr,
        [gather, i](absl::Status s, std::string body) {
          bool last;
          {
            absl::MutexLock lock(&gather->mu);
            Health& h = gather->results[i];
            if (!s.ok()) {
              h.detail = s.ToString();
            } else if (absl::StatusOr<int> st = DecodeHealthCheckStatus(body);
                       !st.ok()) {
              h.detail = st.status().ToString();
            } else {
              h.serving = *st == kServing;
              h.detail = h.serving
                             ? "SERVING"
                             : absl::StrCat("not serving (status ", *st, ")");
            }
            last = --gather->remaining == 0;
          }
          if (last) gather->done(std::move(gather->results));
        });
    ++i;
  }
}

}  // namespace clinic::gateway
