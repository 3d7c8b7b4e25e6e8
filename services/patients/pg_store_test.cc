#include "services/patients/pg_store.h"

#include <pqxx/pqxx>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "services/common/testing/postgres.h"

namespace clinic::patients {
namespace {

using v1::Patient;

Patient Person(const std::string& given, const std::string& family,
               const std::string& email = "", const std::string& phone = "") {
  Patient p;
  p.set_given_name(given);
  p.set_family_name(family);
  p.mutable_birth_date()->set_year(1985);
  p.mutable_birth_date()->set_month(7);
  p.mutable_birth_date()->set_day(21);
  p.set_email(email);
  p.set_phone(phone);
  return p;
}

std::string Id(const Patient& p) { return p.name().substr(9); }

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conninfo_ = testing::NewTestDatabase();
    ASSERT_TRUE(MigratePatients(conninfo_).ok());
    db::PoolOptions o;
    o.conninfo = conninfo_;
    o.max_connections = 64;
    pool_ = std::make_unique<db::Pool>(o);
    store_ = std::make_unique<PgPatientStore>(pool_.get());
  }
  Patient Create(const Patient& p) {
    absl::StatusOr<Patient> r = store_->Create(p, RequestKey{}, nullptr);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(Patient());
  }
  int CountRows() {
    pqxx::connection c(conninfo_);
    pqxx::nontransaction n(c);
    return n.exec("SELECT count(*) FROM patients.patients")[0][0].as<int>();
  }
  std::string conninfo_;
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<PgPatientStore> store_;
};

TEST_F(PgStoreTest, CreateThenGetRoundTripsEveryField) {
  Patient p = Person("Jane", "Runner", "jane@example.com", "+14155550132");
  p.set_preferred_name("JJ");
  p.set_sex_at_birth(v1::SEX_AT_BIRTH_FEMALE);
  p.mutable_address()->set_line1("1 Hill Rd");
  p.mutable_address()->set_city("Boulder");
  p.mutable_address()->set_country_code("US");
  p.set_preferred_contact_method(v1::CONTACT_METHOD_SMS);
  p.mutable_emergency_contact()->set_name("Sam Runner");
  p.mutable_emergency_contact()->set_relationship("spouse");
  p.set_notes("prefers mornings");
  Patient created = Create(p);
  EXPECT_EQ(created.name().rfind("patients/", 0), 0u);
  EXPECT_EQ(created.state(), v1::PATIENT_STATE_ACTIVE);
  EXPECT_EQ(created.etag(), "1");
  EXPECT_GT(created.create_time().seconds(), 1700000000);
  absl::StatusOr<Patient> got = store_->Get(Id(created), nullptr);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->DebugString(), created.DebugString());
  EXPECT_EQ(got->address().city(), "Boulder");
  EXPECT_EQ(got->emergency_contact().relationship(), "spouse");
  EXPECT_FALSE(got->has_archive_time());
  EXPECT_EQ(store_->Get("00000000-0000-4000-8000-000000000000", nullptr)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PgStoreTest, ListFiltersCaseInsensitivelyAndPages) {
  Create(Person("Jane", "Runner", "Jane@Example.com", "+14155550132"));
  Create(Person("Ann", "rust"));
  Create(Person("Zoë", "Smith"));
  Create(Person("Bob", "Rune"));
  Create(Person("Ruth", "Adams"));
  ListQuery q;
  q.name_prefix = "RU";
  absl::StatusOr<ListResult> r = store_->List(q, nullptr);
  ASSERT_TRUE(r.ok());
  std::vector<std::string> names;
  for (const Patient& p : r->patients) names.push_back(p.given_name());
  // Ordered by family name: Adams (given Ruth), Rune, Runner, rust.
  EXPECT_EQ(names, (std::vector<std::string>{"Ruth", "Bob", "Jane", "Ann"}));

  q = ListQuery();
  q.name_prefix = "jane run";  // "given family"
  EXPECT_EQ(store_->List(q, nullptr)->patients.size(), 1u);
  q = ListQuery();
  q.email = "jane@EXAMPLE.com";
  EXPECT_EQ(store_->List(q, nullptr)->patients.size(), 1u);
  q = ListQuery();
  q.phone = "+14155550132";
  EXPECT_EQ(store_->List(q, nullptr)->patients.size(), 1u);
  q = ListQuery();
  q.birth_date = "1985-07-21";
  EXPECT_EQ(store_->List(q, nullptr)->patients.size(), 5u);
  q.birth_date = "1985-07-22";
  EXPECT_EQ(store_->List(q, nullptr)->patients.size(), 0u);
  q = ListQuery();
  q.name_prefix = "%";  // LIKE wildcards are literal
  EXPECT_EQ(store_->List(q, nullptr)->patients.size(), 0u);

  // Paging visits every row once, in order.
  q = ListQuery();
  q.page_size = 2;
  std::vector<std::string> seen;
  for (int page = 0; page < 10; ++page) {
    absl::StatusOr<ListResult> r = store_->List(q, nullptr);
    ASSERT_TRUE(r.ok());
    for (const Patient& p : r->patients) seen.push_back(p.family_name());
    if (!r->next) break;
    q.after = r->next;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"Adams", "Rune", "Runner", "rust",
                                            "Smith"}));
}

TEST_F(PgStoreTest, PrefixSearchUsesAnIndex) {
  pqxx::connection c(conninfo_);
  pqxx::work w(c);
  w.exec(
      "INSERT INTO patients.patients (given_name, family_name, birth_date) "
      "SELECT 'G' || i, 'F' || i, DATE '1980-01-01' + (i % 9000) "
      "FROM generate_series(1, 20000) i");
  w.exec("ANALYZE patients.patients");
  pqxx::result plan = w.exec(
      "EXPLAIN SELECT id FROM patients.patients "
      "WHERE patients.fold(family_name) LIKE 'f123%'");
  std::string text;
  for (const auto& row : plan) text += row[0].c_str() + std::string("\n");
  EXPECT_NE(text.find("patients_family_prefix_idx"), std::string::npos) << text;
}

TEST_F(PgStoreTest, UpdateNeedsTheCurrentEtag) {
  Patient created = Create(Person("Jane", "Runner"));
  Patient changed = created;
  changed.set_phone("+14155550199");
  absl::StatusOr<Patient> updated =
      store_->Update(Id(created), changed, nullptr);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->phone(), "+14155550199");
  EXPECT_EQ(updated->etag(), "2");
  // The same (now stale) etag again.
  absl::StatusOr<Patient> stale = store_->Update(Id(created), changed, nullptr);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  changed.set_etag("garbage");
  EXPECT_EQ(store_->Update(Id(created), changed, nullptr).status().code(),
            absl::StatusCode::kAborted);
  changed.set_etag("2");
  EXPECT_EQ(
      store_->Update("00000000-0000-4000-8000-000000000000", changed, nullptr)
          .status()
          .code(),
      absl::StatusCode::kNotFound);
}

TEST_F(PgStoreTest, ArchiveHidesFromListsAndBlocksUpdates) {
  Patient created = Create(Person("Jane", "Runner"));
  EXPECT_EQ(store_->Archive(Id(created), "99", nullptr).status().code(),
            absl::StatusCode::kAborted);
  absl::StatusOr<Patient> archived = store_->Archive(Id(created), "1", nullptr);
  ASSERT_TRUE(archived.ok());
  EXPECT_EQ(archived->state(), v1::PATIENT_STATE_ARCHIVED);
  EXPECT_TRUE(archived->has_archive_time());
  // Archiving again is a no-op.
  EXPECT_EQ(store_->Archive(Id(created), "", nullptr)->etag(),
            archived->etag());
  EXPECT_TRUE(store_->List(ListQuery(), nullptr)->patients.empty());
  ListQuery all;
  all.show_archived = true;
  EXPECT_EQ(store_->List(all, nullptr)->patients.size(), 1u);
  Patient change = *archived;
  change.set_notes("x");
  EXPECT_EQ(store_->Update(Id(created), change, nullptr).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(PgStoreTest, CreateIsIdempotentByRequestId) {
  RequestKey key{"CreatePatient", "req-1", "bytes-1"};
  absl::StatusOr<Patient> a =
      store_->Create(Person("Jane", "Runner"), key, nullptr);
  absl::StatusOr<Patient> b =
      store_->Create(Person("Jane", "Runner"), key, nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->name(), b->name());
  RequestKey other{"CreatePatient", "req-1", "bytes-2"};
  absl::StatusOr<Patient> c =
      store_->Create(Person("Ann", "Other"), other, nullptr);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(),
            "request_id: already used for a different request");
  EXPECT_EQ(CountRows(), 1);
}

TEST_F(PgStoreTest, ConcurrentRetriesOfOneRequestCreateOneRecord) {
  RequestKey key{"CreatePatient", "req-race", "same-bytes"};
  std::vector<std::thread> threads;
  std::vector<std::string> names(16);
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<Patient> r =
          store_->Create(Person("Jane", "Runner"), key, nullptr);
      names[i] = r.ok() ? r->name() : r.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 1u)
      << names[0];
  EXPECT_EQ(CountRows(), 1);
}

TEST_F(PgStoreTest, FindOrCreateMatchesEmailOrPhoneWithBirthDate) {
  Patient jane =
      Create(Person("Jane", "Runner", "jane@example.com", "+14155550132"));
  absl::StatusOr<FindOrCreateResult> by_email = store_->FindOrCreate(
      Person("J.", "Runner-Smith", "JANE@example.com"), RequestKey{}, nullptr);
  ASSERT_TRUE(by_email.ok());
  EXPECT_FALSE(by_email->created);
  EXPECT_EQ(by_email->patient.name(), jane.name());
  EXPECT_EQ(by_email->matched_on, v1::FindOrCreatePatientResponse::MATCH_EMAIL);

  absl::StatusOr<FindOrCreateResult> by_phone = store_->FindOrCreate(
      Person("Jane", "Runner", "", "+14155550132"), RequestKey{}, nullptr);
  ASSERT_TRUE(by_phone.ok());
  EXPECT_EQ(by_phone->patient.name(), jane.name());
  EXPECT_EQ(by_phone->matched_on, v1::FindOrCreatePatientResponse::MATCH_PHONE);

  // Same email, other birth date: another person (a parent booking for a
  // child shares an email).
  Patient child = Person("Kid", "Runner", "jane@example.com");
  child.mutable_birth_date()->set_year(2015);
  absl::StatusOr<FindOrCreateResult> other =
      store_->FindOrCreate(child, RequestKey{}, nullptr);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->created);
  EXPECT_NE(other->patient.name(), jane.name());

  // Archived patients are not matched.
  ASSERT_TRUE(store_->Archive(Id(jane), "", nullptr).ok());
  absl::StatusOr<FindOrCreateResult> after = store_->FindOrCreate(
      Person("Jane", "Runner", "jane@example.com"), RequestKey{}, nullptr);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->created);
}

TEST_F(PgStoreTest, ConcurrentFindOrCreateForOnePersonCreatesOneRecord) {
  std::vector<std::thread> threads;
  std::vector<std::string> names(20);
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<FindOrCreateResult> r = store_->FindOrCreate(
          Person("Jane", "Runner", "jane@example.com"), RequestKey{}, nullptr);
      names[i] = r.ok() ? r->patient.name() : r.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 1u);
  EXPECT_EQ(CountRows(), 1);
}

TEST_F(PgStoreTest, DatabaseChecksBackTheValidation) {
  pqxx::connection c(conninfo_);
  pqxx::work w(c);
  EXPECT_THROW(w.exec("INSERT INTO patients.patients (given_name, family_name, "
                      "birth_date) VALUES ('', 'x', DATE '1990-01-01')"),
               pqxx::check_violation);
}

}  // namespace
}  // namespace clinic::patients

namespace clinic::patients {
namespace {

class AuditTrailTest : public PgStoreTest {
 protected:
  audit::AuditContext Who() {
    return audit::AuditContext{"staff/11111111-1111-4111-8111-111111111111",
                               {"STAFF_ROLE_FRONT_DESK"},
                               "clinic.patients.v1.PatientService/GetPatient",
                               "req-42",
                               "10.1.2.3"};
  }
  audit::v1::ListAuditEventsResponse Events(const std::string& resource = "") {
    audit::v1::ListAuditEventsRequest req;
    req.set_resource(resource);
    absl::StatusOr<audit::v1::ListAuditEventsResponse> r =
        store_->ListAuditEvents(req);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(audit::v1::ListAuditEventsResponse());
  }
};

TEST_F(AuditTrailTest, ReadsAndWritesRecordOneEventEachWithAllFields) {
  audit::AuditContext who = Who();
  absl::StatusOr<Patient> created =
      store_->Create(Person("Jane", "Runner"), RequestKey{}, &who);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(store_->Get(Id(*created), &who).ok());
  ASSERT_TRUE(store_->List(ListQuery(), &who).ok());
  ASSERT_TRUE(store_->Get(Id(*created), nullptr).ok());  // internal: none
  audit::v1::ListAuditEventsResponse all = Events();
  ASSERT_EQ(all.audit_events_size(), 3);
  const audit::v1::AuditEvent& search = all.audit_events(0);  // newest first
  EXPECT_EQ(search.resource(), "patients");
  ASSERT_EQ(search.resources_size(), 1);
  EXPECT_EQ(search.resources(0), created->name());
  const audit::v1::AuditEvent& read = all.audit_events(1);
  EXPECT_EQ(read.actor(), who.actor);
  ASSERT_EQ(read.actor_roles_size(), 1);
  EXPECT_EQ(read.actor_roles(0), "STAFF_ROLE_FRONT_DESK");
  EXPECT_EQ(read.action(), who.action);
  EXPECT_EQ(read.resource(), created->name());
  EXPECT_EQ(read.outcome(), "OK");
  EXPECT_EQ(read.request_id(), "req-42");
  EXPECT_EQ(read.client_address(), "10.1.2.3");
  EXPECT_GT(read.event_time().seconds(), 1700000000);
  // Filtering by the patient finds the read, the write and the search.
  EXPECT_EQ(Events(created->name()).audit_events_size(), 3);
}

TEST_F(AuditTrailTest, AFailedChangeLeavesNoOkEvent) {
  audit::AuditContext who = Who();
  Patient created = Create(Person("Jane", "Runner"));
  Patient stale = created;
  stale.set_etag("99");
  EXPECT_FALSE(store_->Update(Id(created), stale, &who).ok());
  EXPECT_EQ(Events().audit_events_size(), 0);  // rolled back with the change
  ASSERT_TRUE(store_->RecordFailure(who, created.name(), "ABORTED").ok());
  ASSERT_EQ(Events().audit_events_size(), 1);
  EXPECT_EQ(Events().audit_events(0).outcome(), "ABORTED");
}

TEST_F(AuditTrailTest, TheDatabaseRefusesToChangeOrDeleteEvents) {
  audit::AuditContext who = Who();
  Patient created = Create(Person("Jane", "Runner"));
  ASSERT_TRUE(store_->Get(Id(created), &who).ok());
  // The service's own connection (same role as the store's pool).
  pqxx::connection c(conninfo_);
  for (const char* sql :
       {"UPDATE patients.audit_events SET actor = 'someone else'",
        "DELETE FROM patients.audit_events",
        "TRUNCATE patients.audit_events"}) {
    pqxx::work w(c);
    EXPECT_THROW(w.exec(sql), pqxx::insufficient_privilege) << sql;
  }
  EXPECT_EQ(Events().audit_events(0).actor(), who.actor);
}

TEST_F(AuditTrailTest, ListsByEventTimeEvenWhenIdsInterleave) {
  // Transaction A starts (its event_time) before B but inserts after it, so
  // A's id is larger though A happened first.
  pqxx::connection a(conninfo_), b(conninfo_);
  pqxx::work ta(a);
  ta.exec("SELECT 1");  // A's now() is fixed here
  absl::SleepFor(absl::Milliseconds(20));
  {
    pqxx::work tb(b);
    tb.exec(
        "INSERT INTO patients.audit_events (actor, action, resource, outcome)"
        " VALUES ('b', 'x', 'later', 'OK')");
    tb.commit();
  }
  ta.exec(
      "INSERT INTO patients.audit_events (actor, action, resource, outcome)"
      " VALUES ('a', 'x', 'earlier', 'OK')");
  ta.commit();
  audit::v1::ListAuditEventsResponse all = Events();
  ASSERT_EQ(all.audit_events_size(), 2);
  EXPECT_EQ(all.audit_events(0).resource(), "later");
  EXPECT_EQ(all.audit_events(1).resource(), "earlier");
}

TEST_F(AuditTrailTest, PagesNewestFirst) {
  audit::AuditContext who = Who();
  Patient created = Create(Person("Jane", "Runner"));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store_->Get(Id(created), &who).ok());
  audit::v1::ListAuditEventsRequest req;
  req.set_page_size(2);
  int seen = 0;
  int64_t last_time = INT64_MAX;
  for (int page = 0; page < 5; ++page) {
    auto r = store_->ListAuditEvents(req);
    ASSERT_TRUE(r.ok());
    for (const auto& e : r->audit_events()) {
      const int64_t t =
          e.event_time().seconds() * 1000000 + e.event_time().nanos() / 1000;
      EXPECT_LE(t, last_time);
      last_time = t;
      ++seen;
    }
    if (r->next_page_token().empty()) break;
    req.set_page_token(r->next_page_token());
  }
  EXPECT_EQ(seen, 5);
  req.set_page_token("x");
  EXPECT_EQ(store_->ListAuditEvents(req).status().code(),
            absl::StatusCode::kInvalidArgument);
  audit::v1::ListAuditEventsRequest long_actor;
  long_actor.set_actor(std::string(201, 'a'));
  EXPECT_EQ(store_->ListAuditEvents(long_actor).status().message(),
            "actor: longer than 200 characters");
}

}  // namespace
}  // namespace clinic::patients
