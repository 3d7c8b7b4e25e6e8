#include "services/common/server/rpc.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/common/server/client.h"
#include "services/common/server/server.h"
#include "services/common/status/errors.h"
#include "services/common/status/status.h"

namespace clinic::server {
namespace {

using patients::v1::GetPatientRequest;
using patients::v1::Patient;
using patients::v1::PatientService;

constexpr char kSecret[] = "s3cret-s3cret";

// GetPatient (staff roles) through Rpcs: "bad" names are field violations,
// "slow" names wait for `release_`, anything else echoes the caller.
class Echo : public PatientService::CallbackService {
 public:
  Echo(WorkerPool* pool)
      : rpcs_(&verifier_, PatientService::service_full_name(),
              RpcOptions{
                  pool, [this](const Call& call, const std::string& resource,
                               const absl::Status& s) {
                    absl::MutexLock lock(&mu_);
                    failures_.push_back(
                        absl::StrCat(call.method, " ", resource, " ",
                                     absl::StatusCodeToString(s.code())));
                  }}) {}

  grpc::ServerUnaryReactor* GetPatient(grpc::CallbackServerContext* context,
                                       const GetPatientRequest* req,
                                       Patient* resp) override {
    return rpcs_.Serve(
        context, "GetPatient",
        [=](const Call& call) -> absl::Status {
          if (req->name() == "bad") {
            status::Violations v;
            v.Add("name", "is not a patient");
            v.Add("read_mask", "unknown field");
            return v.ToStatus();
          }
          if (req->name() == "slow") {
            started_.fetch_add(1);
            release_.WaitForNotification();
          }
          resp->set_name(req->name());
          resp->set_given_name(call.actor());
          resp->set_notes(call.method);
          return absl::OkStatus();
        },
        req->name());
  }

  std::vector<std::string> failures() {
    absl::MutexLock lock(&mu_);
    return failures_;
  }

  CallerVerifier verifier_{kSecret};
  absl::Notification release_;
  std::atomic<int> started_{0};

 private:
  Rpcs rpcs_;
  absl::Mutex mu_;
  std::vector<std::string> failures_ ABSL_GUARDED_BY(mu_);
};

class RpcTest : public ::testing::Test {
 protected:
  void Start(int threads, int queue) {
    pool_ = std::make_unique<WorkerPool>(threads, queue);
    service_ = std::make_unique<Echo>(pool_.get());
    auto s =
        Server::Start(ServerOptions{},
                      {{service_.get(), PatientService::service_full_name()}});
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
    stub_ = PatientService::NewStub(
        NewChannel(absl::StrCat("127.0.0.1:", server_->port())));
  }
  void TearDown() override {
    if (service_ && !service_->release_.HasBeenNotified()) {
      service_->release_.Notify();
    }
    server_.reset();
  }
  grpc::Status Get(const std::string& name, const Caller& caller, Patient* out,
                   const std::string& secret = kSecret) {
    auto ctx = NewCallContext(absl::Seconds(10));
    CallerVerifier(secret).Forward(caller, *ctx);
    GetPatientRequest req;
    req.set_name(name);
    return stub_->GetPatient(ctx.get(), req, out);
  }
  static Caller FrontDesk() {
    Caller c;
    c.staff = "staff/1";
    c.roles = {api::v1::STAFF_ROLE_FRONT_DESK};
    c.request_id = "req-1";
    return c;
  }

  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<Echo> service_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<PatientService::Stub> stub_;
};

TEST_F(RpcTest, VerifiesTheSecretThenTheAccessOption) {
  Start(2, 100);
  Patient p;
  EXPECT_EQ(Get("x", FrontDesk(), &p, "wrong-secret").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // A service (the secret, no staff member) may call GetPatient: its access
  // option has also_services (the notifications service reads emails).
  ASSERT_TRUE(Get("x", Caller{}, &p).ok());
  EXPECT_EQ(p.given_name(), "anonymous");
  Caller nobody_role = FrontDesk();
  nobody_role.roles.clear();
  EXPECT_EQ(Get("x", nobody_role, &p).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Get("x", FrontDesk(), &p).ok());
  EXPECT_EQ(p.given_name(), "staff/1");
  EXPECT_EQ(p.notes(), "clinic.patients.v1.PatientService/GetPatient");
  // Refusals after the secret reach the failure hook; the wrong secret not.
  EXPECT_EQ(service_->failures(),
            (std::vector<std::string>{
                "clinic.patients.v1.PatientService/GetPatient x "
                "PERMISSION_DENIED"}));
}

TEST_F(RpcTest, FieldViolationsReachTheClientAsDetails) {
  Start(2, 100);
  Patient p;
  grpc::Status s = Get("bad", FrontDesk(), &p);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "name: is not a patient; read_mask: unknown field");
  std::vector<status::FieldViolation> v =
      status::FieldViolationsOf(status::FromGrpcStatus(s));
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].field, "name");
  EXPECT_EQ(v[1].field, "read_mask");
  EXPECT_EQ(v[1].description, "unknown field");
}

TEST_F(RpcTest, ManyConcurrentCallsQueueInsteadOfBeingRefused) {
  Start(2, 1000);
  service_->release_.Notify();
  constexpr int kCalls = 200;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&] {
      Patient p;
      if (Get("slow", FrontDesk(), &p).ok()) ok.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kCalls);
}

TEST_F(RpcTest, BeyondTheQueueBoundCallsAreShedWithUnavailable) {
  Start(1, 1);
  std::vector<grpc::Status> results(4);
  std::vector<std::thread> threads;
  auto launch = [&](int i) {
    threads.emplace_back([&, i] {
      Patient p;
      results[i] = Get("slow", FrontDesk(), &p);
    });
  };
  auto wait_until = [](auto done) {
    for (int i = 0; i < 1000 && !done(); ++i) {
      absl::SleepFor(absl::Milliseconds(5));
    }
  };
  launch(0);  // runs, blocked
  wait_until([&] { return service_->started_.load() == 1; });
  launch(1);  // waits in the queue
  wait_until([&] { return pool_->queued() == 1; });
  launch(2);  // shed
  launch(3);  // shed
  threads[2].join();
  threads[3].join();
  service_->release_.Notify();
  threads[0].join();
  threads[1].join();
  EXPECT_TRUE(results[0].ok());
  EXPECT_TRUE(results[1].ok());
  EXPECT_EQ(results[2].error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(results[3].error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(results[3].error_message(),
            "the service is busy; try again shortly");
}

TEST(PageSizeTest, DefaultsCapsAndRefusesNegative) {
  EXPECT_EQ(*PageSize(0, 50, 200), 50);
  EXPECT_EQ(*PageSize(500, 50, 200), 200);
  EXPECT_EQ(*PageSize(7, 50, 200), 7);
  absl::Status s = PageSize(-1, 50, 200).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status::FieldViolationsOf(s).at(0).field, "page_size");
}

}  // namespace
}  // namespace clinic::server
