#include "services/common/server/caller.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_join.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/common/server/client.h"
#include "services/common/server/server.h"

namespace clinic::server {
namespace {

using patients::v1::GetPatientRequest;
using patients::v1::Patient;
using patients::v1::PatientService;

// Answers with the verified caller written into the patient's fields.
class EchoCaller : public PatientService::Service {
 public:
  explicit EchoCaller(const CallerVerifier* v) : verifier_(v) {}
  grpc::Status GetPatient(grpc::ServerContext* context,
                          const GetPatientRequest*, Patient* resp) override {
    absl::StatusOr<Caller> caller = verifier_->Verify(*context);
    if (!caller.ok()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          std::string(caller.status().message()));
    }
    resp->set_given_name(caller->actor());
    resp->set_family_name(absl::StrJoin(caller->role_names(), ","));
    resp->set_notes(caller->request_id + "|" + caller->client_address + "|" +
                    caller->session);
    return grpc::Status::OK;
  }

 private:
  const CallerVerifier* verifier_;
};

class CallerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Server::Start(ServerOptions{},
                           {{&service_, PatientService::service_full_name()}});
    ASSERT_TRUE(s.ok());
    server_ = *std::move(s);
    stub_ = PatientService::NewStub(
        NewChannel(absl::StrCat("127.0.0.1:", server_->port())));
  }
  grpc::Status Call(const CallerVerifier& sender, const Caller& caller,
                    Patient* out) {
    auto ctx = NewCallContext(absl::Seconds(5));
    sender.Forward(caller, *ctx);
    return stub_->GetPatient(ctx.get(), GetPatientRequest(), out);
  }
  CallerVerifier verifier_{"s3cret-s3cret"};
  EchoCaller service_{&verifier_};
  std::unique_ptr<Server> server_;
  std::unique_ptr<PatientService::Stub> stub_;
};

TEST_F(CallerTest, ForwardedIdentityArrives) {
  Caller c;
  c.staff = "staff/abc";
  c.roles = {api::v1::STAFF_ROLE_FRONT_DESK, api::v1::STAFF_ROLE_THERAPIST};
  c.session = "staff/abc/sessions/1";
  c.request_id = "rid";
  c.client_address = "10.0.0.7";
  Patient out;
  ASSERT_TRUE(Call(verifier_, c, &out).ok());
  EXPECT_EQ(out.given_name(), "staff/abc");
  EXPECT_EQ(out.family_name(), "STAFF_ROLE_FRONT_DESK,STAFF_ROLE_THERAPIST");
  EXPECT_EQ(out.notes(), "rid|10.0.0.7|staff/abc/sessions/1");
}

TEST_F(CallerTest, AnonymousHasNoRoles) {
  Patient out;
  ASSERT_TRUE(Call(verifier_, Caller(), &out).ok());
  EXPECT_EQ(out.given_name(), "anonymous");
  EXPECT_EQ(out.family_name(), "");
}

TEST_F(CallerTest, WrongOrMissingSecretIsUnauthenticated) {
  Patient out;
  Caller c;
  c.staff = "staff/abc";
  c.roles = {api::v1::STAFF_ROLE_ADMIN};
  EXPECT_EQ(Call(CallerVerifier("guess"), c, &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  auto ctx = NewCallContext(absl::Seconds(5));
  ctx->AddMetadata(kStaffKey, "staff/abc");
  ctx->AddMetadata(kRolesKey, "STAFF_ROLE_ADMIN");
  EXPECT_EQ(
      stub_->GetPatient(ctx.get(), GetPatientRequest(), &out).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_FALSE(CallerVerifier("").Verify(grpc::ServerContext()).ok());
}

}  // namespace
}  // namespace clinic::server
