// ScreeningService over gRPC on port 0, on a real PostgreSQL.
#include "services/screenings/service.h"

#include <map>
#include <pqxx/pqxx>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "services/common/db/pool.h"
#include "services/common/server/client.h"
#include "services/common/server/server.h"
#include "services/common/status/errors.h"
#include "services/common/status/status.h"
#include "services/common/testing/postgres.h"
#include "services/screenings/pg_store.h"

namespace clinic::screenings {
namespace {

using grpc::StatusCode;

constexpr char kSecret[] = "screenings-test-secret";
constexpr char kPatient[] = "patients/11111111-1111-4111-8111-111111111111";

// The patients service's answers for the patients this test knows (the
// real one is called in tests/integration).
class KnownPatients : public clients::PatientDirectory {
 public:
  absl::StatusOr<patients::v1::Patient> Get(const server::Caller&,
                                            const std::string& name) override {
    absl::MutexLock lock(&mu_);
    auto it = known_.find(name);
    if (it == known_.end()) return absl::NotFoundError("no such patient");
    return it->second;
  }
  absl::Status Exists(const server::Caller& caller,
                      const std::string& name) override {
    return Get(caller, name).status();
  }
  void Add(const std::string& name, const std::string& phone,
           const std::string& email) {
    absl::MutexLock lock(&mu_);
    patients::v1::Patient& p = known_[name];
    p.set_name(name);
    p.set_phone(phone);
    p.set_email(email);
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, patients::v1::Patient> known_ ABSL_GUARDED_BY(mu_);
};

// The appointments service as ConvertScreening sees it: books once per
// request_id, and fails while told to.
class RecordingScheduler : public EvaluationScheduler {
 public:
  absl::StatusOr<std::string> Book(
      const server::Caller&, const std::string& patient,
      const v1::ConvertScreeningRequest& convert) override {
    absl::MutexLock lock(&mu_);
    if (!fail_.ok()) return fail_;
    auto [it, added] = booked_.try_emplace(
        convert.request_id(),
        absl::StrCat("appointments/00000000-0000-4000-8000-00000000000",
                     booked_.size() + 1));
    if (added) patients_.push_back(patient);
    return it->second;
  }
  absl::Status Cancel(const server::Caller&, const std::string& appointment,
                      const std::string&) override {
    absl::MutexLock lock(&mu_);
    cancelled_.push_back(appointment);
    return absl::OkStatus();
  }
  void Fail(absl::Status s) {
    absl::MutexLock lock(&mu_);
    fail_ = std::move(s);
  }
  size_t bookings() {
    absl::MutexLock lock(&mu_);
    return booked_.size();
  }
  std::vector<std::string> booked_patients() {
    absl::MutexLock lock(&mu_);
    return patients_;
  }
  std::vector<std::string> cancelled() {
    absl::MutexLock lock(&mu_);
    return cancelled_;
  }

 private:
  absl::Mutex mu_;
  absl::Status fail_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> booked_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> patients_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> cancelled_ ABSL_GUARDED_BY(mu_);
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conninfo_ = testing::NewTestDatabase();
    ASSERT_TRUE(MigrateScreenings(conninfo_).ok());
    db::PoolOptions o;
    o.conninfo = conninfo_;
    pool_ = std::make_unique<db::Pool>(o);
    store_ = std::make_unique<PgContactStore>(pool_.get());
    ScreeningServiceOptions options;
    options.protocols = *LoadShippedProtocols();
    patients_.Add(kPatient, "+13035550142", "maya@example.com");
    options.patients = &patients_;
    options.scheduler = &scheduler_;
    service_ = std::make_unique<ScreeningServiceImpl>(store_.get(), &verifier_,
                                                      options);
    auto s = server::Server::Start(
        server::ServerOptions{},
        {{service_.get(), v1::ScreeningService::service_full_name()}});
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
    stub_ = v1::ScreeningService::NewStub(
        server::NewChannel(absl::StrCat("127.0.0.1:", server_->port())));
  }

  std::unique_ptr<grpc::ClientContext> Ctx(
      std::optional<api::v1::StaffRole> role = api::v1::STAFF_ROLE_FRONT_DESK) {
    auto ctx = server::NewCallContext(absl::Seconds(10));
    server::Caller c;
    if (role) {
      c.staff = "staff/00000000-0000-4000-8000-000000000001";
      c.roles = {*role};
    }
    c.request_id = "test";
    verifier_.Forward(c, *ctx);
    return ctx;
  }

  v1::ContactRequest Web(const std::string& name, const std::string& phone) {
    v1::ContactRequest r;
    r.set_given_name(name);
    r.set_phone(phone);
    r.set_consent_to_contact(true);
    r.set_source(v1::CONTACT_SOURCE_WEB_FORM);
    r.set_body_area(v1::BODY_AREA_KNEE);
    r.set_concern("inner knee pain when running");
    r.set_campaign("conditions/inner-knee-pain");
    return r;
  }

  grpc::Status Create(const v1::ContactRequest& r, const std::string& rid,
                      v1::ContactRequest* out) {
    v1::CreateContactRequestRequest req;
    req.set_request_id(rid);
    *req.mutable_contact_request() = r;
    auto ctx = Ctx(std::nullopt);  // the booking service calls anonymously
    return stub_->CreateContactRequest(ctx.get(), req, out);
  }

  int AuditEvents(const std::string& action) {
    pqxx::connection c(conninfo_);
    pqxx::nontransaction n(c);
    return n
        .exec_params1(
            "SELECT count(*) FROM screenings.audit_events WHERE action = $1",
            "clinic.screenings.v1.ScreeningService/" + action)[0]
        .as<int>();
  }

  std::string conninfo_;
  server::CallerVerifier verifier_{kSecret};
  KnownPatients patients_;
  RecordingScheduler scheduler_;
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<PgContactStore> store_;
  std::unique_ptr<ScreeningServiceImpl> service_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<v1::ScreeningService::Stub> stub_;
};

TEST_F(ServiceTest, CreateIsIdempotentAndTheQueueListsOldestFirst) {
  v1::ContactRequest first, again, second;
  ASSERT_TRUE(Create(Web("Maya", "303 555 0142"), "r1", &first).ok());
  EXPECT_EQ(first.state(), v1::CONTACT_REQUEST_STATE_NEW);
  EXPECT_EQ(first.phone(), "+13035550142");
  ASSERT_TRUE(Create(Web("Maya", "303 555 0142"), "r1", &again).ok());
  EXPECT_EQ(again.name(), first.name());
  // The same request_id with another body is refused.
  EXPECT_EQ(Create(Web("Tom", "303 555 0199"), "r1", &again).error_code(),
            StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(Create(Web("Tom", "303 555 0199"), "r2", &second).ok());

  v1::ListContactRequestsRequest req;
  req.set_page_size(1);
  v1::ListContactRequestsResponse page1, page2;
  auto ctx = Ctx();
  ASSERT_TRUE(stub_->ListContactRequests(ctx.get(), req, &page1).ok());
  ASSERT_EQ(page1.contact_requests_size(), 1);
  EXPECT_EQ(page1.contact_requests(0).given_name(), "Maya");
  req.set_page_token(page1.next_page_token());
  auto ctx2 = Ctx();
  ASSERT_TRUE(stub_->ListContactRequests(ctx2.get(), req, &page2).ok());
  ASSERT_EQ(page2.contact_requests_size(), 1);
  EXPECT_EQ(page2.contact_requests(0).given_name(), "Tom");
  EXPECT_TRUE(page2.next_page_token().empty());
  EXPECT_EQ(AuditEvents("ListContactRequests"), 2);
  EXPECT_GE(AuditEvents("CreateContactRequest"), 2);
}

TEST_F(ServiceTest, AttemptsMoveTheRequestOnUntilItCloses) {
  v1::ContactRequest c;
  ASSERT_TRUE(Create(Web("Maya", "303 555 0142"), "r1", &c).ok());
  auto record = [&](v1::ContactOutcome outcome, v1::ContactRequestState next,
                    const std::string& rid, v1::ContactRequest* out) {
    v1::RecordContactAttemptRequest req;
    req.set_name(c.name());
    req.set_outcome(outcome);
    req.set_next_state(next);
    req.set_note("called at 5pm");
    req.set_request_id(rid);
    auto ctx = Ctx();
    return stub_->RecordContactAttempt(ctx.get(), req, out);
  };
  v1::ContactRequest out;
  ASSERT_TRUE(record(v1::CONTACT_OUTCOME_NO_ANSWER,
                     v1::CONTACT_REQUEST_STATE_UNSPECIFIED, "a1", &out)
                  .ok());
  EXPECT_EQ(out.state(), v1::CONTACT_REQUEST_STATE_NEW);
  ASSERT_TRUE(record(v1::CONTACT_OUTCOME_REACHED,
                     v1::CONTACT_REQUEST_STATE_UNSPECIFIED, "a2", &out)
                  .ok());
  EXPECT_EQ(out.state(), v1::CONTACT_REQUEST_STATE_CONTACTED);
  ASSERT_TRUE(record(v1::CONTACT_OUTCOME_REACHED,
                     v1::CONTACT_REQUEST_STATE_SCREENING_BOOKED, "a3", &out)
                  .ok());
  EXPECT_EQ(out.state(), v1::CONTACT_REQUEST_STATE_SCREENING_BOOKED);
  ASSERT_EQ(out.attempts_size(), 3);
  EXPECT_EQ(out.attempts(0).outcome(), v1::CONTACT_OUTCOME_NO_ANSWER);
  EXPECT_EQ(out.attempts(2).staff(),
            "staff/00000000-0000-4000-8000-000000000001");
  // A retry of the last call answers the same; a new attempt is refused.
  ASSERT_TRUE(record(v1::CONTACT_OUTCOME_REACHED,
                     v1::CONTACT_REQUEST_STATE_SCREENING_BOOKED, "a3", &out)
                  .ok());
  EXPECT_EQ(out.attempts_size(), 3);
  EXPECT_EQ(record(v1::CONTACT_OUTCOME_REACHED,
                   v1::CONTACT_REQUEST_STATE_UNSPECIFIED, "a4", &out)
                .error_code(),
            StatusCode::FAILED_PRECONDITION);
  // Closed requests leave the open queue.
  v1::ListContactRequestsResponse open;
  auto ctx = Ctx();
  ASSERT_TRUE(stub_->ListContactRequests(ctx.get(), {}, &open).ok());
  EXPECT_EQ(open.contact_requests_size(), 0);
}

TEST_F(ServiceTest, RefusalsNameEveryFieldAndRespectAccess) {
  v1::ContactRequest out;
  v1::ContactRequest bad;
  bad.set_source(v1::CONTACT_SOURCE_WEB_FORM);
  grpc::Status s = Create(bad, "b1", &out);
  ASSERT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status::FieldViolationsOf(status::FromGrpcStatus(s)).size(), 3u);
  // Therapists do not work the queue; anonymous callers cannot read it.
  auto therapist = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  v1::ListContactRequestsResponse list;
  EXPECT_EQ(stub_->ListContactRequests(therapist.get(), {}, &list).error_code(),
            StatusCode::PERMISSION_DENIED);
  auto anonymous = Ctx(std::nullopt);
  EXPECT_EQ(stub_->ListContactRequests(anonymous.get(), {}, &list).error_code(),
            StatusCode::UNAUTHENTICATED);
  v1::RecordContactAttemptRequest attempt;
  attempt.set_name("contactRequests/nope");
  auto desk = Ctx();
  s = stub_->RecordContactAttempt(desk.get(), attempt, &out);
  ASSERT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status::FieldViolationsOf(status::FromGrpcStatus(s)).size(), 2u);
  // Failed calls are audited too.
  EXPECT_GE(AuditEvents("ListContactRequests"), 2);
}

TEST_F(ServiceTest, TheFunnelCountsPerLocationAndCampaign) {
  v1::ContactRequest a, b, c;
  ASSERT_TRUE(Create(Web("Ana", "303 555 0101"), "f1", &a).ok());
  ASSERT_TRUE(Create(Web("Ben", "303 555 0102"), "f2", &b).ok());
  v1::ContactRequest other = Web("Cy", "303 555 0103");
  other.set_campaign("conditions/low-back-pain");
  ASSERT_TRUE(Create(other, "f3", &c).ok());
  v1::RecordContactAttemptRequest attempt;
  attempt.set_name(a.name());
  attempt.set_outcome(v1::CONTACT_OUTCOME_REACHED);
  attempt.set_next_state(v1::CONTACT_REQUEST_STATE_SCREENING_BOOKED);
  v1::ContactRequest out;
  auto ctx = Ctx();
  ASSERT_TRUE(stub_->RecordContactAttempt(ctx.get(), attempt, &out).ok());

  const absl::CivilDay today =
      absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  v1::GetFunnelReportRequest req;
  req.mutable_start_date()->set_year(today.year());
  req.mutable_start_date()->set_month(today.month());
  req.mutable_start_date()->set_day(today.day());
  *req.mutable_end_date() = req.start_date();
  v1::FunnelReport report;
  auto ctx2 = Ctx(api::v1::STAFF_ROLE_ADMIN);
  ASSERT_TRUE(stub_->GetFunnelReport(ctx2.get(), req, &report).ok());
  ASSERT_EQ(report.rows_size(), 2);
  EXPECT_EQ(report.rows(0).campaign(), "conditions/inner-knee-pain");
  EXPECT_EQ(report.rows(0).requests(), 2);
  EXPECT_EQ(report.rows(0).contacted(), 1);
  EXPECT_EQ(report.rows(0).screenings_booked(), 1);
  EXPECT_DOUBLE_EQ(report.rows(0).booking_rate(), 0.5);
  EXPECT_EQ(report.total().requests(), 3);
  // No last day and a first day that is not in the calendar: both named.
  req.clear_end_date();
  req.mutable_start_date()->set_month(2);
  req.mutable_start_date()->set_day(30);
  auto ctx3 = Ctx(api::v1::STAFF_ROLE_ADMIN);
  const grpc::Status bad = stub_->GetFunnelReport(ctx3.get(), req, &report);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  const auto violations =
      status::FieldViolationsOf(status::FromGrpcStatus(bad));
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "start_date");
  EXPECT_EQ(violations[0].description,
            "not a day of the calendar (from the year 2000)");
  EXPECT_EQ(violations[1].field, "end_date");
  EXPECT_EQ(violations[1].description, "choose a day");
}

TEST_F(ServiceTest, AtMostThreeOpenWebRequestsPerPerson) {
  v1::ContactRequest out;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(
        Create(Web("Maya", "303 555 0142"), absl::StrCat("w", i), &out).ok());
  }
  grpc::Status s = Create(Web("Maya", "(303) 555-0142"), "w3", &out);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(status::ReasonOf(status::FromGrpcStatus(s)).has_value());
  EXPECT_EQ(status::ReasonOf(status::FromGrpcStatus(s))->reason,
            "TOO_MANY_OPEN_REQUESTS");
  // A phone call taken by the front desk is not limited.
  v1::ContactRequest phone = Web("Maya", "303 555 0142");
  phone.set_source(v1::CONTACT_SOURCE_PHONE);
  EXPECT_TRUE(Create(phone, "p1", &out).ok());
}

TEST_F(ServiceTest, TherapistsListProtocolsAndEvaluateAnswers) {
  v1::ListScreeningProtocolsResponse protocols;
  auto ctx = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  ASSERT_TRUE(stub_->ListScreeningProtocols(ctx.get(), {}, &protocols).ok());
  ASSERT_EQ(protocols.protocols_size(), 1);
  EXPECT_EQ(protocols.protocols(0).title(),
            "Inner (medial) knee pain in runners");

  v1::EvaluateScreeningRequest req;
  req.set_protocol("screeningProtocols/inner-knee-runner");
  auto* a = req.add_answers();
  a->set_question("pain-location");
  a->add_options("below-joint-line");
  auto* b = req.add_answers();
  b->set_question("mileage-jump");
  b->set_yes(true);
  v1::ScreeningEvaluation e;
  auto ctx2 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  ASSERT_TRUE(stub_->EvaluateScreening(ctx2.get(), req, &e).ok());
  ASSERT_GE(e.considerations_size(), 1);
  EXPECT_EQ(e.considerations(0).cause(), "pes-anserine-bursitis");
  // The front desk does not evaluate screenings.
  auto desk = Ctx(api::v1::STAFF_ROLE_FRONT_DESK);
  EXPECT_EQ(stub_->EvaluateScreening(desk.get(), req, &e).error_code(),
            StatusCode::PERMISSION_DENIED);
  req.set_protocol("screeningProtocols/elbow");
  auto ctx3 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  EXPECT_EQ(stub_->EvaluateScreening(ctx3.get(), req, &e).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceTest, AScreeningFromStartToCompletionAndAnAddendum) {
  v1::CreateScreeningRequest create;
  create.set_request_id("s1");
  create.mutable_screening()->set_patient(kPatient);
  create.mutable_screening()->set_protocol(
      "screeningProtocols/inner-knee-runner");
  v1::Screening s, again;
  auto c1 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  ASSERT_TRUE(stub_->CreateScreening(c1.get(), create, &s).ok());
  auto c2 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  ASSERT_TRUE(stub_->CreateScreening(c2.get(), create, &again).ok());
  EXPECT_EQ(again.name(), s.name());
  EXPECT_EQ(s.state(), v1::SCREENING_STATE_IN_PROGRESS);
  EXPECT_EQ(s.therapist(), "staff/00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(s.protocol_version(), 1);

  // Save answers; the evaluation comes back with them.
  v1::UpdateScreeningRequest update;
  *update.mutable_screening() = s;
  auto* a = update.mutable_screening()->add_answers();
  a->set_question("numbness");
  a->set_yes(true);
  update.mutable_screening()->set_findings("tingling along the shin");
  v1::Screening saved;
  auto c3 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  ASSERT_TRUE(stub_->UpdateScreening(c3.get(), update, &saved).ok());
  EXPECT_TRUE(saved.evaluation().refer_to_physician());
  EXPECT_EQ(saved.findings(), "tingling along the shin");
  // The old etag is stale now.
  auto c4 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  EXPECT_EQ(stub_->UpdateScreening(c4.get(), update, &s).error_code(),
            StatusCode::ABORTED);
  // Bad answers are named.
  *update.mutable_screening() = saved;
  update.mutable_screening()->add_answers()->set_question("elbow");
  auto c5 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  grpc::Status bad = stub_->UpdateScreening(c5.get(), update, &s);
  ASSERT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status::FieldViolationsOf(status::FromGrpcStatus(bad))[0].field,
            "screening.answers[1].question");

  // A red flag allows only a referral.
  v1::CompleteScreeningRequest complete;
  complete.set_name(saved.name());
  complete.set_outcome(v1::SCREENING_OUTCOME_PT_EVALUATION);
  v1::Screening done;
  auto c6 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  EXPECT_EQ(stub_->CompleteScreening(c6.get(), complete, &done).error_code(),
            StatusCode::FAILED_PRECONDITION);
  complete.set_outcome(v1::SCREENING_OUTCOME_REFER_TO_PHYSICIAN);
  auto c7 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  ASSERT_TRUE(stub_->CompleteScreening(c7.get(), complete, &done).ok());
  EXPECT_EQ(done.state(), v1::SCREENING_STATE_COMPLETED);
  EXPECT_TRUE(done.has_complete_time());

  // Read-only now, except for an addendum.
  *update.mutable_screening() = done;
  auto c8 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  EXPECT_EQ(stub_->UpdateScreening(c8.get(), update, &s).error_code(),
            StatusCode::FAILED_PRECONDITION);
  v1::AddScreeningAddendumRequest add;
  add.set_name(done.name());
  add.set_text("Physician letter sent.");
  auto c9 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  ASSERT_TRUE(stub_->AddScreeningAddendum(c9.get(), add, &s).ok());
  ASSERT_EQ(s.addenda_size(), 1);
  EXPECT_EQ(s.addenda(0).text(), "Physician letter sent.");

  // The patient's screenings; every call audited; the front desk may read
  // but not write.
  v1::ListScreeningsRequest list;
  list.set_patient(kPatient);
  v1::ListScreeningsResponse listed;
  auto desk = Ctx(api::v1::STAFF_ROLE_FRONT_DESK);
  ASSERT_TRUE(stub_->ListScreenings(desk.get(), list, &listed).ok());
  EXPECT_EQ(listed.screenings_size(), 1);
  auto desk2 = Ctx(api::v1::STAFF_ROLE_FRONT_DESK);
  EXPECT_EQ(stub_->CreateScreening(desk2.get(), create, &s).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_GE(AuditEvents("UpdateScreening"), 3);
  EXPECT_EQ(AuditEvents("ListScreenings"), 1);
}

TEST_F(ServiceTest, AScreeningOfNobodyIsRefused) {
  v1::CreateScreeningRequest create;
  create.set_request_id("nobody");
  create.mutable_screening()->set_patient(
      "patients/00000000-0000-4000-8000-000000000000");
  create.mutable_screening()->set_protocol(
      "screeningProtocols/inner-knee-runner");
  v1::Screening s;
  auto ctx = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  const grpc::Status bad = stub_->CreateScreening(ctx.get(), create, &s);
  ASSERT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  const auto violations =
      status::FieldViolationsOf(status::FromGrpcStatus(bad));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "screening.patient");
  EXPECT_EQ(violations[0].description, "there is no such patient");
}

// From a contact request to a screening of the patient it led to, and on
// to a booked initial evaluation, counted in the funnel.
TEST_F(ServiceTest, AScreeningLinksItsRequestAndConvertsOnce) {
  v1::ContactRequest request, unrelated;
  ASSERT_TRUE(Create(Web("Maya", "(303) 555-0142"), "c1", &request).ok());
  ASSERT_TRUE(Create(Web("Tom", "303 555 0199"), "c2", &unrelated).ok());

  v1::CreateScreeningRequest create;
  create.set_request_id("s1");
  create.mutable_screening()->set_patient(kPatient);
  create.mutable_screening()->set_protocol(
      "screeningProtocols/inner-knee-runner");
  v1::Screening s;
  auto c1 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  ASSERT_TRUE(stub_->CreateScreening(c1.get(), create, &s).ok());
  EXPECT_EQ(s.contact_request(), request.name());
  v1::GetContactRequestRequest get;
  get.set_name(request.name());
  v1::ContactRequest linked;
  auto c2 = Ctx();
  ASSERT_TRUE(stub_->GetContactRequest(c2.get(), get, &linked).ok());
  EXPECT_EQ(linked.patient(), kPatient);
  EXPECT_EQ(linked.state(), v1::CONTACT_REQUEST_STATE_SCREENING_BOOKED);

  v1::ConvertScreeningRequest convert;
  convert.set_name(s.name());
  convert.set_location("locations/denver");
  convert.set_appointment_type("appointmentTypes/initial");
  convert.set_therapist("staff/00000000-0000-4000-8000-000000000001");
  convert.mutable_start_time()->set_seconds(1893456000);
  convert.set_request_id("convert-1");
  v1::ConvertScreeningResponse converted;
  // Not before it is completed with a PT evaluation.
  auto c3 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  EXPECT_EQ(stub_->ConvertScreening(c3.get(), convert, &converted).error_code(),
            StatusCode::FAILED_PRECONDITION);
  v1::CompleteScreeningRequest complete;
  complete.set_name(s.name());
  complete.set_outcome(v1::SCREENING_OUTCOME_PT_EVALUATION);
  auto c4 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  ASSERT_TRUE(stub_->CompleteScreening(c4.get(), complete, &s).ok());

  // Every missing field is named at once.
  v1::ConvertScreeningRequest empty;
  empty.set_name(s.name());
  auto c5 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  const grpc::Status bad = stub_->ConvertScreening(c5.get(), empty, &converted);
  ASSERT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : status::FieldViolationsOf(status::FromGrpcStatus(bad))) {
    fields.push_back(v.field);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"request_id", "location",
                                              "appointment_type", "therapist",
                                              "start_time"}));

  // The booking fails: nothing is converted; the retry books it once.
  scheduler_.Fail(absl::UnavailableError("appointments service: down"));
  auto c6 = Ctx(api::v1::STAFF_ROLE_FRONT_DESK);
  EXPECT_EQ(stub_->ConvertScreening(c6.get(), convert, &converted).error_code(),
            StatusCode::UNAVAILABLE);
  auto c7 = Ctx();
  ASSERT_TRUE(stub_->GetContactRequest(c7.get(), get, &linked).ok());
  EXPECT_EQ(linked.state(), v1::CONTACT_REQUEST_STATE_SCREENING_BOOKED);
  scheduler_.Fail(absl::OkStatus());
  auto c8 = Ctx(api::v1::STAFF_ROLE_FRONT_DESK);
  ASSERT_TRUE(stub_->ConvertScreening(c8.get(), convert, &converted).ok());
  EXPECT_FALSE(converted.screening().evaluation_appointment().empty());
  EXPECT_EQ(converted.contact_request().state(),
            v1::CONTACT_REQUEST_STATE_CONVERTED);
  v1::ConvertScreeningResponse again;
  auto c9 = Ctx(api::v1::STAFF_ROLE_FRONT_DESK);
  ASSERT_TRUE(stub_->ConvertScreening(c9.get(), convert, &again).ok());
  EXPECT_EQ(again.screening().evaluation_appointment(),
            converted.screening().evaluation_appointment());
  // Another conversion of the same screening is refused, booking nothing.
  convert.set_request_id("convert-2");
  auto c10 = Ctx(api::v1::STAFF_ROLE_FRONT_DESK);
  EXPECT_EQ(stub_->ConvertScreening(c10.get(), convert, &again).error_code(),
            StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(scheduler_.bookings(), 1u);
  EXPECT_EQ(scheduler_.booked_patients(), std::vector<std::string>{kPatient});
  EXPECT_TRUE(scheduler_.cancelled().empty());  // no race was lost
  EXPECT_GE(AuditEvents("ConvertScreening"), 2);

  const absl::CivilDay today =
      absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  v1::GetFunnelReportRequest report_req;
  report_req.mutable_start_date()->set_year(today.year());
  report_req.mutable_start_date()->set_month(today.month());
  report_req.mutable_start_date()->set_day(today.day());
  *report_req.mutable_end_date() = report_req.start_date();
  v1::FunnelReport report;
  auto c11 = Ctx(api::v1::STAFF_ROLE_ADMIN);
  ASSERT_TRUE(stub_->GetFunnelReport(c11.get(), report_req, &report).ok());
  EXPECT_EQ(report.total().requests(), 2);
  EXPECT_EQ(report.total().screenings_booked(), 1);
  EXPECT_EQ(report.total().screenings_done(), 1);
  EXPECT_EQ(report.total().converted(), 1);
}

}  // namespace
}  // namespace clinic::screenings
