#include "services/common/server/server.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <thread>

#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/common/server/client.h"

namespace clinic::server {
namespace {

using ::clinic::patients::v1::GetPatientRequest;
using ::clinic::patients::v1::Patient;
using ::clinic::patients::v1::PatientService;

// A slow service: GetPatient waits `delay` and answers.
class SlowService : public PatientService::Service {
 public:
  explicit SlowService(absl::Duration delay) : delay_(delay) {}
  grpc::Status GetPatient(grpc::ServerContext*, const GetPatientRequest* req,
                          Patient* resp) override {
    absl::SleepFor(delay_);
    resp->set_name(req->name());
    return grpc::Status::OK;
  }

 private:
  absl::Duration delay_;
};

// Calls grpc.health.v1.Health/Check; returns the status enum value or -1.
int HealthStatus(const std::shared_ptr<grpc::Channel>& channel,
                 const std::string& service) {
  grpc::GenericStub stub(channel);
  // HealthCheckRequest{service = 1}: Debian ships no C++ health stubs.
  std::string req;
  req.push_back(0x0a);
  req.push_back(static_cast<char>(service.size()));
  req += service;
  grpc::Slice slice(req);
  grpc::ByteBuffer request(&slice, 1), response;
  auto context = NewCallContext(absl::Seconds(2));
  grpc::CompletionQueue cq;
  auto call = stub.PrepareUnaryCall(
      context.get(), "/grpc.health.v1.Health/Check", request, &cq);
  call->StartCall();
  grpc::Status status;
  call->Finish(&response, &status, reinterpret_cast<void*>(1));
  void* tag;
  bool ok;
  cq.Next(&tag, &ok);
  if (!status.ok()) return -1;
  std::vector<grpc::Slice> slices;
  response.Dump(&slices);
  std::string bytes;
  for (auto& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  if (bytes.size() == 2 && bytes[0] == 0x08) return bytes[1];
  return 0;  // status 0 (UNKNOWN) encodes as an empty message
}

TEST(ServerTest, ServesOnPortZeroAndReportsHealth) {
  SlowService service(absl::ZeroDuration());
  auto server = Server::Start(
      ServerOptions{}, {{&service, PatientService::service_full_name()}});
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_GT((*server)->port(), 0);
  auto channel = NewChannel(absl::StrCat("127.0.0.1:", (*server)->port()));
  EXPECT_EQ(HealthStatus(channel, PatientService::service_full_name()), 1);
  EXPECT_EQ(HealthStatus(channel, ""), 1);
  (*server)->SetServing(false);
  EXPECT_EQ(HealthStatus(channel, PatientService::service_full_name()), 2);

  auto stub = PatientService::NewStub(channel);
  auto context = NewCallContext(absl::Seconds(2));
  GetPatientRequest req;
  req.set_name("patients/x");
  Patient resp;
  ASSERT_TRUE(stub->GetPatient(context.get(), req, &resp).ok());
  EXPECT_EQ(resp.name(), "patients/x");
}

TEST(ServerTest, ShutdownDrainsInFlightCalls) {
  SlowService service(absl::Milliseconds(300));
  ServerOptions options;
  options.drain_timeout = absl::Seconds(5);
  auto server =
      Server::Start(options, {{&service, PatientService::service_full_name()}});
  ASSERT_TRUE(server.ok());
  auto stub = PatientService::NewStub(
      NewChannel(absl::StrCat("127.0.0.1:", (*server)->port())));
  std::atomic<bool> ok{false};
  std::thread caller([&] {
    auto context = NewCallContext(absl::Seconds(5));
    GetPatientRequest req;
    Patient resp;
    ok = stub->GetPatient(context.get(), req, &resp).ok();
  });
  absl::SleepFor(absl::Milliseconds(100));  // the call is in flight
  (*server)->Shutdown();
  caller.join();
  EXPECT_TRUE(ok) << "an in-flight call was cut off instead of drained";
}

TEST(ServerTest, DeadlineOnOutboundCalls) {
  SlowService service(absl::Seconds(2));
  auto server = Server::Start(
      ServerOptions{}, {{&service, PatientService::service_full_name()}});
  ASSERT_TRUE(server.ok());
  auto stub = PatientService::NewStub(
      NewChannel(absl::StrCat("127.0.0.1:", (*server)->port())));
  auto context = NewCallContext(absl::Milliseconds(100));
  GetPatientRequest req;
  Patient resp;
  EXPECT_EQ(stub->GetPatient(context.get(), req, &resp).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
}

}  // namespace
}  // namespace clinic::server
