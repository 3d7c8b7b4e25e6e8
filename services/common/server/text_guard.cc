#include "services/common/server/text_guard.h"

#include <grpcpp/support/server_interceptor.h>

#include <atomic>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/reflection.h"
#include "services/common/status/errors.h"

namespace clinic::server {
namespace {

namespace pb = google::protobuf;

bool HasControl(const std::string& s) {
  for (const char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7F) {
      return true;
    }
  }
  return false;
}

void Check(const pb::Message& m, const std::string& prefix, int depth,
           std::vector<status::FieldViolation>& out) {
  if (depth > 32) return;
  const pb::Reflection* r = m.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const pb::FieldDescriptor* f : fields) {
    const std::string path = absl::StrCat(prefix, f->name());
    if (f->type() == pb::FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          if (HasControl(r->GetRepeatedString(m, f, i))) {
            out.push_back({absl::StrCat(path, "[", i, "]"),
                           "must not contain control characters"});
          }
        }
      } else if (HasControl(r->GetString(m, f))) {
        out.push_back({path, "must not contain control characters"});
      }
    } else if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          Check(r->GetRepeatedMessage(m, f, i),
                absl::StrCat(path, "[", i, "]."), depth + 1, out);
        }
      } else {
        Check(r->GetMessage(m, f), absl::StrCat(path, "."), depth + 1, out);
      }
    }
  }
}

// Violations noted by the interceptor, by call, until Rpcs reads them or
// the call ends. Nearly every call has none: the count lets Take skip the
// lock then (it is asked twice per call, on every call).
class Noted {
 public:
  static Noted& Get() {
    static Noted* noted = new Noted();
    return *noted;
  }
  void Put(const void* call, absl::Status s) {
    absl::MutexLock lock(&mu_);
    if (by_call_.insert_or_assign(call, std::move(s)).second) ++size_;
  }
  absl::Status Take(const void* call) {
    if (size_.load(std::memory_order_acquire) == 0) return absl::OkStatus();
    absl::MutexLock lock(&mu_);
    auto it = by_call_.find(call);
    if (it == by_call_.end()) return absl::OkStatus();
    absl::Status s = std::move(it->second);
    by_call_.erase(it);
    --size_;
    return s;
  }

 private:
  std::atomic<int> size_{0};
  absl::Mutex mu_;
  absl::flat_hash_map<const void*, absl::Status> by_call_ ABSL_GUARDED_BY(mu_);
};

class Guard : public grpc::experimental::Interceptor {
 public:
  explicit Guard(grpc::experimental::ServerRpcInfo* info) : info_(info) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    // Only this system's protobuf services: the health and reflection
    // services' messages are not ours to read.
    const bool ours =
        info_->type() == grpc::experimental::ServerRpcInfo::Type::UNARY &&
        absl::StartsWith(info_->method(), "/clinic.");
    if (ours && methods->QueryInterceptionHookPoint(
                    InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (void* message = methods->GetRecvMessage(); message != nullptr) {
        // The generated request class derives from Message alone, so the
        // object's address is its Message's.
        absl::Status s =
            CheckRequestText(*static_cast<const pb::Message*>(message));
        if (!s.ok()) Noted::Get().Put(info_->server_context(), std::move(s));
      }
    }
    if (ours && methods->QueryInterceptionHookPoint(
                    InterceptionHookPoints::PRE_SEND_STATUS)) {
      Noted::Get().Take(info_->server_context());
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
};

class Factory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new Guard(info);
  }
};

}  // namespace

absl::Status CheckRequestText(const pb::Message& request) {
  std::vector<status::FieldViolation> out;
  Check(request, "", 0, out);
  return status::InvalidFields(out);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewTextGuardFactory() {
  return std::make_unique<Factory>();
}

absl::Status TakeTextViolations(const grpc::ServerContextBase& context) {
  return Noted::Get().Take(&context);
}

}  // namespace clinic::server
