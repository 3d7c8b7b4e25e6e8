// PatientService over real gRPC (port 0) on a real PostgreSQL database.
#include "services/patients/service.h"

#include <grpcpp/grpcpp.h>

#include "gtest/gtest.h"
#include "services/common/server/caller.h"
#include "services/common/server/client.h"
#include "services/common/server/server.h"
#include "services/common/status/errors.h"
#include "services/common/status/status.h"
#include "services/common/testing/postgres.h"
#include "services/patients/pg_store.h"

namespace clinic::patients {
namespace {

using v1::Patient;

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string conninfo = testing::NewTestDatabase();
    ASSERT_TRUE(MigratePatients(conninfo).ok());
    db::PoolOptions o;
    o.conninfo = conninfo;
    pool_ = std::make_unique<db::Pool>(o);
    store_ = std::make_unique<PgPatientStore>(pool_.get());
    PatientServiceOptions options;
    options.now = [] {
      return absl::FromCivil(absl::CivilSecond(2026, 11, 24, 9, 0, 0),
                             absl::UTCTimeZone());
    };
    service_ =
        std::make_unique<PatientServiceImpl>(store_.get(), &verifier_, options);
    auto server = server::Server::Start(
        server::ServerOptions{},
        {{service_.get(), v1::PatientService::service_full_name()}});
    ASSERT_TRUE(server.ok());
    server_ = *std::move(server);
    stub_ = v1::PatientService::NewStub(
        server::NewChannel(absl::StrCat("127.0.0.1:", server_->port())));
  }

  grpc::Status Create(const Patient& p, Patient* out,
                      const std::string& request_id = "") {
    v1::CreatePatientRequest req;
    *req.mutable_patient() = p;
    req.set_request_id(request_id);
    auto ctx = Ctx();
    return stub_->CreatePatient(ctx.get(), req, out);
  }
  grpc::Status Update(const Patient& p, const std::vector<std::string>& paths,
                      Patient* out) {
    v1::UpdatePatientRequest req;
    *req.mutable_patient() = p;
    for (const auto& path : paths) req.mutable_update_mask()->add_paths(path);
    auto ctx = Ctx();
    return stub_->UpdatePatient(ctx.get(), req, out);
  }
  grpc::Status List(const v1::ListPatientsRequest& req,
                    v1::ListPatientsResponse* out) {
    auto ctx = Ctx();
    return stub_->ListPatients(ctx.get(), req, out);
  }

  // A call context carrying the gateway's secret and a caller with `role`.
  std::unique_ptr<grpc::ClientContext> Ctx(
      api::v1::StaffRole role = api::v1::STAFF_ROLE_FRONT_DESK) {
    auto ctx = server::NewCallContext(absl::Seconds(5));
    server::Caller caller;
    caller.staff = "staff/22222222-2222-4222-8222-222222222222";
    caller.roles = {role};
    caller.request_id = "rid-1";
    caller.client_address = "192.0.2.10";
    verifier_.Forward(caller, *ctx);
    return ctx;
  }

  static Patient Jane() {
    Patient p;
    p.set_given_name("Jane");
    p.set_family_name("Runner");
    p.mutable_birth_date()->set_year(1990);
    p.mutable_birth_date()->set_month(4);
    p.mutable_birth_date()->set_day(2);
    p.set_email("jane@example.com");
    p.set_phone("(415) 555-0132");
    return p;
  }

  server::CallerVerifier verifier_{"test-secret"};
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<PgPatientStore> store_;
  std::unique_ptr<PatientServiceImpl> service_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<v1::PatientService::Stub> stub_;
};

TEST_F(ServiceTest, CreateGetNormalizes) {
  Patient created;
  ASSERT_TRUE(Create(Jane(), &created).ok());
  EXPECT_EQ(created.phone(), "+14155550132");
  v1::GetPatientRequest get;
  get.set_name(created.name());
  Patient got;
  auto ctx = Ctx();
  ASSERT_TRUE(stub_->GetPatient(ctx.get(), get, &got).ok());
  EXPECT_EQ(got.family_name(), "Runner");
}

TEST_F(ServiceTest, BadInputIsInvalidArgumentNamingTheField) {
  struct Case {
    std::function<void(Patient&)> spoil;
    std::string message_prefix;
  } cases[] = {
      {[](Patient& p) { p.set_given_name(""); }, "patient.given_name: "},
      {[](Patient& p) { p.set_email("jane@"); }, "patient.email: "},
      {[](Patient& p) { p.set_phone("n/a"); }, "patient.phone: "},
      {[](Patient& p) { p.mutable_birth_date()->set_year(2030); },
       "patient.birth_date: "},
      {[](Patient& p) { p.mutable_birth_date()->set_year(1850); },
       "patient.birth_date: "},
      {[](Patient& p) { p.set_notes(std::string(5000, 'x')); },
       "patient.notes: "},
      {[](Patient& p) { p.set_sex_at_birth(static_cast<v1::SexAtBirth>(9)); },
       "patient.sex_at_birth: "},
  };
  for (const Case& c : cases) {
    Patient p = Jane();
    c.spoil(p);
    Patient out;
    grpc::Status s = Create(p, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(s.error_message().rfind(c.message_prefix, 0), 0u)
        << s.error_message();
  }
  Patient out;
  v1::CreatePatientRequest empty;
  auto ctx = Ctx();
  EXPECT_EQ(stub_->CreatePatient(ctx.get(), empty, &out).error_message(),
            "patient: is required");
}

TEST_F(ServiceTest, GetRefusesMalformedNamesAndReportsMissingOnes) {
  Patient out;
  v1::GetPatientRequest req;
  req.set_name("patients/42");
  auto ctx = Ctx();
  grpc::Status s = stub_->GetPatient(ctx.get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "name: must look like patients/{uuid}");
  req.set_name("patients/00000000-0000-4000-8000-000000000000");
  auto ctx2 = Ctx();
  EXPECT_EQ(stub_->GetPatient(ctx2.get(), req, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ServiceTest, CreateIsIdempotentAndRefusesReusedRequestIds) {
  Patient a, b, c;
  ASSERT_TRUE(Create(Jane(), &a, "r-1").ok());
  ASSERT_TRUE(Create(Jane(), &b, "r-1").ok());
  EXPECT_EQ(a.name(), b.name());
  Patient other = Jane();
  other.set_given_name("Janet");
  grpc::Status s = Create(other, &c, "r-1");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("request_id: ", 0), 0u);
  EXPECT_EQ(Create(Jane(), &c, "has space").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceTest, UpdateAppliesTheMaskAndChecksTheEtag) {
  Patient created, updated;
  Patient base = Jane();
  base.mutable_address()->set_city("Boulder");
  base.mutable_address()->set_line1("1 Hill Rd");
  ASSERT_TRUE(Create(base, &created).ok());
  Patient change;
  change.set_name(created.name());
  change.set_etag(created.etag());
  change.set_phone("415-555-0199");
  change.set_given_name("IGNORED: not in the mask");
  change.mutable_address()->set_city("Denver");
  ASSERT_TRUE(Update(change, {"phone", "address.city"}, &updated).ok());
  EXPECT_EQ(updated.phone(), "+14155550199");
  EXPECT_EQ(updated.given_name(), "Jane");
  EXPECT_EQ(updated.address().city(), "Denver");
  EXPECT_EQ(updated.address().line1(), "1 Hill Rd");
  EXPECT_NE(updated.etag(), created.etag());

  // Stale etag: ABORTED, nothing changes.
  change.set_phone("415-555-0100");
  Patient out;
  EXPECT_EQ(Update(change, {"phone"}, &out).error_code(),
            grpc::StatusCode::ABORTED);
  // Bad mask paths, missing etag, invalid new value.
  change.set_etag(updated.etag());
  grpc::Status s = Update(change, {"state"}, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "update_mask: 'state' is not a field that can be updated");
  EXPECT_EQ(Update(change, {}, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  change.set_email("bad@");
  s = Update(change, {"email"}, &out);
  EXPECT_EQ(s.error_message().rfind("patient.email: ", 0), 0u);
  change.clear_etag();
  EXPECT_EQ(Update(change, {"phone"}, &out)
                .error_message()
                .rfind("patient.etag: ", 0),
            0u);
}

TEST_F(ServiceTest, ListPagesWithTokensBoundToFilters) {
  for (const char* family : {"Adams", "Baker", "Clark", "Davis", "Evans"}) {
    Patient p = Jane();
    p.set_family_name(family);
    p.clear_email();
    p.clear_phone();
    Patient out;
    ASSERT_TRUE(Create(p, &out).ok());
  }
  v1::ListPatientsRequest req;
  req.set_page_size(2);
  std::vector<std::string> seen;
  std::string last_token;
  for (int i = 0; i < 5; ++i) {
    v1::ListPatientsResponse resp;
    ASSERT_TRUE(List(req, &resp).ok());
    for (const auto& p : resp.patients()) seen.push_back(p.family_name());
    if (resp.next_page_token().empty()) break;
    last_token = resp.next_page_token();
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"Adams", "Baker", "Clark", "Davis",
                                            "Evans"}));
  v1::ListPatientsRequest other;
  other.set_page_token(last_token);
  other.set_name_prefix("A");
  v1::ListPatientsResponse resp;
  EXPECT_EQ(List(other, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListPatientsRequest negative;
  negative.set_page_size(-1);
  EXPECT_EQ(List(negative, &resp).error_message(),
            "page_size: must not be negative");
  v1::ListPatientsRequest by_phone;
  by_phone.set_phone("abc");
  EXPECT_EQ(List(by_phone, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // A NUL is refused, not cut at ("a\0b" must not search "a").
  v1::ListPatientsRequest nul;
  nul.set_name_prefix(std::string("a\0b", 3));
  EXPECT_EQ(List(nul, &resp).error_message(),
            "name_prefix: must not contain control characters");
}

TEST_F(ServiceTest, FindOrCreateNeedsEmailOrPhoneAndFindsExisting) {
  Patient created;
  ASSERT_TRUE(Create(Jane(), &created).ok());
  v1::FindOrCreatePatientRequest req;
  *req.mutable_patient() = Jane();
  req.mutable_patient()->set_email("JANE@EXAMPLE.COM");
  v1::FindOrCreatePatientResponse resp;
  auto ctx = Ctx();
  ASSERT_TRUE(stub_->FindOrCreatePatient(ctx.get(), req, &resp).ok());
  EXPECT_FALSE(resp.created());
  EXPECT_EQ(resp.patient().name(), created.name());
  req.mutable_patient()->clear_email();
  req.mutable_patient()->clear_phone();
  auto ctx2 = Ctx();
  EXPECT_EQ(stub_->FindOrCreatePatient(ctx2.get(), req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceTest, ArchivedPatientsCannotBeEdited) {
  Patient created, archived, out;
  ASSERT_TRUE(Create(Jane(), &created).ok());
  v1::ArchivePatientRequest req;
  req.set_name(created.name());
  auto ctx = Ctx();
  ASSERT_TRUE(stub_->ArchivePatient(ctx.get(), req, &archived).ok());
  EXPECT_EQ(archived.state(), v1::PATIENT_STATE_ARCHIVED);
  Patient change;
  change.set_name(created.name());
  change.set_etag(archived.etag());
  change.set_notes("x");
  EXPECT_EQ(Update(change, {"notes"}, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ServiceTest, CallsWithoutTheGatewaySecretAreRefused) {
  auto ctx = server::NewCallContext(absl::Seconds(5));
  ctx->AddMetadata(server::kStaffKey, "staff/x");
  ctx->AddMetadata(server::kRolesKey, "STAFF_ROLE_ADMIN");
  v1::ListPatientsResponse resp;
  EXPECT_EQ(stub_->ListPatients(ctx.get(), v1::ListPatientsRequest(), &resp)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ServiceTest, RolesAreCheckedAgainAndEveryCallIsAudited) {
  Patient created, out;
  ASSERT_TRUE(Create(Jane(), &created).ok());
  // A therapist may not archive (the proto option says admin, front desk).
  v1::ArchivePatientRequest archive;
  archive.set_name(created.name());
  auto ctx = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  EXPECT_EQ(stub_->ArchivePatient(ctx.get(), archive, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A read that fails (not found) is recorded too.
  v1::GetPatientRequest get;
  get.set_name("patients/00000000-0000-4000-8000-000000000000");
  auto ctx2 = Ctx();
  EXPECT_EQ(stub_->GetPatient(ctx2.get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);

  audit::v1::ListAuditEventsRequest req;
  audit::v1::ListAuditEventsResponse events;
  auto denied = Ctx(api::v1::STAFF_ROLE_FRONT_DESK);
  EXPECT_EQ(
      stub_->ListPatientAuditEvents(denied.get(), req, &events).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  auto admin = Ctx(api::v1::STAFF_ROLE_ADMIN);
  ASSERT_TRUE(stub_->ListPatientAuditEvents(admin.get(), req, &events).ok());
  ASSERT_EQ(events.audit_events_size(), 3);
  const audit::v1::AuditEvent& not_found = events.audit_events(0);
  EXPECT_EQ(not_found.action(), "clinic.patients.v1.PatientService/GetPatient");
  EXPECT_EQ(not_found.outcome(), "NOT_FOUND");
  EXPECT_EQ(not_found.resource(), get.name());
  const audit::v1::AuditEvent& refused = events.audit_events(1);
  EXPECT_EQ(refused.action(),
            "clinic.patients.v1.PatientService/ArchivePatient");
  EXPECT_EQ(refused.outcome(), "PERMISSION_DENIED");
  ASSERT_EQ(refused.actor_roles_size(), 1);
  EXPECT_EQ(refused.actor_roles(0), "STAFF_ROLE_THERAPIST");
  const audit::v1::AuditEvent& create = events.audit_events(2);
  EXPECT_EQ(create.outcome(), "OK");
  EXPECT_EQ(create.resource(), created.name());
  EXPECT_EQ(create.actor(), "staff/22222222-2222-4222-8222-222222222222");
  EXPECT_EQ(create.request_id(), "rid-1");
  EXPECT_EQ(create.client_address(), "192.0.2.10");
}

TEST_F(ServiceTest,
       OneSearchBoxFindsNamesWithoutAccentsBirthDatesAndPhoneDigits) {
  Patient lucia = Jane();
  lucia.set_given_name("Lucía");
  lucia.set_family_name("Fernández");
  lucia.set_email("lucia@example.com");
  lucia.set_phone("(303) 555-0145");
  Patient created, other;
  ASSERT_TRUE(Create(lucia, &created).ok());
  ASSERT_TRUE(Create(Jane(), &other).ok());
  const auto find = [&](const std::string& query) {
    v1::ListPatientsRequest req;
    req.set_query(query);
    v1::ListPatientsResponse resp;
    EXPECT_TRUE(List(req, &resp).ok()) << query;
    std::vector<std::string> names;
    for (const Patient& p : resp.patients()) names.push_back(p.family_name());
    return names;
  };
  EXPECT_EQ(find("fernandez"), std::vector<std::string>{"Fernández"});
  EXPECT_EQ(find("LUCIA FERN"), std::vector<std::string>{"Fernández"});
  EXPECT_EQ(find("0145"), std::vector<std::string>{"Fernández"});
  EXPECT_EQ(find("555-0145"), std::vector<std::string>{"Fernández"});
  EXPECT_EQ(find("04/02/1990"),
            (std::vector<std::string>{"Fernández", "Runner"}));
  EXPECT_EQ(find("1990-04-02").size(), 2u);
  EXPECT_TRUE(find("9999").empty());
  // A date of birth that cannot be is refused at the field.
  v1::ListPatientsRequest bad;
  bad.set_query("02/30/1990");
  v1::ListPatientsResponse resp;
  const grpc::Status s = List(bad, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status::FieldViolationsOf(status::FromGrpcStatus(s))[0].field,
            "query");
}

TEST_F(ServiceTest, ExistingPatientsAnswersWhichNamesNameSomeone) {
  Patient created;
  ASSERT_TRUE(Create(Jane(), &created).ok());
  v1::ExistingPatientsRequest req;
  req.add_names("patients/00000000-0000-4000-8000-000000000000");
  req.add_names(created.name());
  v1::ExistingPatientsResponse resp;
  auto ctx = Ctx();
  ASSERT_TRUE(stub_->ExistingPatients(ctx.get(), req, &resp).ok());
  ASSERT_EQ(resp.names_size(), 1);
  EXPECT_EQ(resp.names(0), created.name());
  req.add_names("nobody");
  auto ctx2 = Ctx();
  const grpc::Status bad = stub_->ExistingPatients(ctx2.get(), req, &resp);
  ASSERT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status::FieldViolationsOf(status::FromGrpcStatus(bad))[0].field,
            "names[2]");
}

TEST_F(ServiceTest, PhonesThatAreNotValidForTheRegionAreRefused) {
  Patient p = Jane();
  p.set_phone("12345");
  Patient out;
  const grpc::Status s = Create(p, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status::FieldViolationsOf(status::FromGrpcStatus(s))[0].field,
            "patient.phone");
}

TEST_F(ServiceTest, LikelyDuplicatesAreFoundBeforeSaving) {
  Patient maya = Jane();
  maya.set_given_name("Maya");
  maya.set_family_name("Okafor");
  maya.set_email("maya@example.com");
  maya.set_phone("(303) 555-0141");
  Patient created, cousin;
  ASSERT_TRUE(Create(maya, &created).ok());
  Patient same_phone = Jane();  // same birth date, another name
  same_phone.set_phone("303 555 0141");
  same_phone.set_email("");
  ASSERT_TRUE(Create(same_phone, &cousin).ok());

  v1::FindSimilarPatientsRequest req;
  *req.mutable_patient() = maya;
  req.mutable_patient()->set_given_name("maya");  // typed differently
  v1::FindSimilarPatientsResponse resp;
  auto ctx = Ctx();
  ASSERT_TRUE(stub_->FindSimilarPatients(ctx.get(), req, &resp).ok());
  ASSERT_EQ(resp.matches_size(), 2);
  EXPECT_EQ(resp.matches(0).patient().name(), created.name());
  EXPECT_EQ(std::vector<std::string>(resp.matches(0).reasons().begin(),
                                     resp.matches(0).reasons().end()),
            (std::vector<std::string>{"same date of birth", "same phone",
                                      "same email", "same name"}));
  EXPECT_EQ(std::vector<std::string>(resp.matches(1).reasons().begin(),
                                     resp.matches(1).reasons().end()),
            (std::vector<std::string>{"same date of birth", "same phone"}));
  // Editing Maya: she is not her own duplicate.
  req.set_exclude(created.name());
  auto ctx2 = Ctx();
  ASSERT_TRUE(stub_->FindSimilarPatients(ctx2.get(), req, &resp).ok());
  ASSERT_EQ(resp.matches_size(), 1);
  EXPECT_EQ(resp.matches(0).patient().name(), cousin.name());
  // Another birthday matches nobody; no birthday is named.
  req.mutable_patient()->mutable_birth_date()->set_day(3);
  auto ctx3 = Ctx();
  ASSERT_TRUE(stub_->FindSimilarPatients(ctx3.get(), req, &resp).ok());
  EXPECT_EQ(resp.matches_size(), 0);
  req.mutable_patient()->clear_birth_date();
  auto ctx4 = Ctx();
  EXPECT_EQ(stub_->FindSimilarPatients(ctx4.get(), req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace clinic::patients
