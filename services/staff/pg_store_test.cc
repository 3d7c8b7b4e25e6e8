// PgStaffStore on a real PostgreSQL database.
#include "services/staff/pg_store.h"

#include <atomic>
#include <pqxx/pqxx>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "services/common/testing/postgres.h"
#include "services/staff/bootstrap.h"

namespace clinic::staff {
namespace {

using v1::StaffMember;

const absl::Time kT0 = absl::FromUnixSeconds(1800000000);

StaffMember Member(const std::string& given, const std::string& family,
                   const std::string& email,
                   api::v1::StaffRole role = api::v1::STAFF_ROLE_THERAPIST) {
  StaffMember m;
  m.set_given_name(given);
  m.set_family_name(family);
  m.set_email(email);
  m.add_roles(role);
  return m;
}

std::string Id(const StaffMember& m) { return m.name().substr(6); }

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conninfo_ = testing::NewTestDatabase();
    ASSERT_TRUE(MigrateStaff(conninfo_).ok());
    db::PoolOptions o;
    o.conninfo = conninfo_;
    o.max_connections = 16;
    pool_ = std::make_unique<db::Pool>(o);
    store_ = std::make_unique<PgStaffStore>(pool_.get());
  }
  StaffMember Create(const StaffMember& m, const std::string& hash = "h") {
    absl::StatusOr<CreateResult> r = store_->Create(m, hash, RequestKey{});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->member : StaffMember();
  }
  SessionRecord NewSession(const std::string& member_id,
                           const std::string& token_hash) {
    SessionRecord s;
    s.member_id = member_id;
    s.create_time = kT0;
    s.last_seen_time = kT0;
    s.expire_time = kT0 + absl::Hours(12);
    s.client_address = "10.0.0.1";
    s.user_agent = "test";
    absl::StatusOr<SessionRecord> r = store_->CreateSession(s, token_hash);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.value_or(SessionRecord());
  }
  std::string conninfo_;
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<PgStaffStore> store_;
};

TEST_F(PgStoreTest, CreateGetRoundTripsEveryField) {
  StaffMember m = Member("Jane", "Runner", "Jane@example.com");
  m.add_roles(api::v1::STAFF_ROLE_ADMIN);
  m.add_credentials("DPT");
  m.add_credentials("OCS");
  m.add_home_locations("locations/downtown");
  StaffMember created = Create(m, "hash-1");
  EXPECT_EQ(created.name().size(), 6u + 36u);
  EXPECT_EQ(created.state(), v1::STAFF_STATE_ACTIVE);
  EXPECT_EQ(created.etag(), "1");
  EXPECT_GT(created.create_time().seconds(), 0);
  absl::StatusOr<MemberCredentials> got = store_->GetCredentials(Id(created));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->password_hash, "hash-1");
  EXPECT_EQ(got->member.email(), "Jane@example.com");
  ASSERT_EQ(got->member.roles_size(), 2);
  EXPECT_EQ(got->member.credentials_size(), 2);
  EXPECT_EQ(got->member.home_locations(0), "locations/downtown");
  absl::StatusOr<std::optional<MemberCredentials>> by_email =
      store_->FindByEmail("JANE@EXAMPLE.COM");
  ASSERT_TRUE(by_email.ok() && by_email->has_value());
  EXPECT_EQ((*by_email)->id, Id(created));
  EXPECT_FALSE(store_->FindByEmail("nobody@example.com")->has_value());
  EXPECT_EQ(store_->Get("00000000-0000-4000-8000-000000000000").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PgStoreTest, EmailIsUniqueCaseInsensitively) {
  Create(Member("Jane", "Runner", "jane@example.com"));
  absl::StatusOr<CreateResult> dup =
      store_->Create(Member("J", "R", "JANE@example.com"), "h", RequestKey{});
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().message(),
            "staff_member.email: already used by another staff member");
}

TEST_F(PgStoreTest, CreateIsIdempotentByRequestId) {
  StaffMember m = Member("Jane", "Runner", "jane@example.com");
  RequestKey key{"CreateStaffMember", "req-1", "bytes"};
  absl::StatusOr<CreateResult> a = store_->Create(m, "h", key);
  absl::StatusOr<CreateResult> b = store_->Create(m, "h2", key);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status() << b.status();
  EXPECT_TRUE(a->created);
  EXPECT_FALSE(b->created);
  EXPECT_EQ(a->member.name(), b->member.name());
  EXPECT_EQ(store_->GetCredentials(Id(a->member))->password_hash, "h");
  key.request_bytes = "other";
  EXPECT_EQ(store_->Create(m, "h", key).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PgStoreTest, ListOrdersFiltersAndPages) {
  StaffMember a = Member("Ann", "Baker", "ann@example.com");
  a.add_home_locations("locations/north");
  Create(a);
  Create(Member("Bob", "adams", "bob@example.com",
                api::v1::STAFF_ROLE_FRONT_DESK));
  StaffMember gone = Create(Member("Cy", "Cole", "cy@example.com"));
  ASSERT_TRUE(store_->Deactivate(Id(gone), kT0).ok());
  ListQuery q;
  absl::StatusOr<ListResult> all = store_->List(q);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->members.size(), 2u);
  EXPECT_EQ(all->members[0].family_name(), "adams");
  q.show_deactivated = true;
  EXPECT_EQ(store_->List(q)->members.size(), 3u);
  q.role = api::v1::STAFF_ROLE_THERAPIST;
  EXPECT_EQ(store_->List(q)->members.size(), 2u);
  q.home_location = "locations/north";
  EXPECT_EQ(store_->List(q)->members.size(), 1u);
  ListQuery paged;
  paged.show_deactivated = true;
  paged.page_size = 2;
  absl::StatusOr<ListResult> p1 = store_->List(paged);
  ASSERT_TRUE(p1.ok() && p1->next.has_value());
  paged.after = p1->next;
  absl::StatusOr<ListResult> p2 = store_->List(paged);
  ASSERT_TRUE(p2.ok());
  ASSERT_EQ(p2->members.size(), 1u);
  EXPECT_EQ(p2->members[0].family_name(), "Cole");
  EXPECT_FALSE(p2->next.has_value());
}

TEST_F(PgStoreTest, UpdateChecksEtagAndEndsSessionsOnRoleOrEmailChange) {
  StaffMember m = Create(Member("Jane", "Runner", "jane@example.com"));
  SessionRecord s1 = NewSession(Id(m), std::string(32, '\1'));
  // A name change keeps the sessions.
  StaffMember renamed = m;
  renamed.set_given_name("Janet");
  absl::StatusOr<StaffMember> u1 = store_->Update(Id(m), renamed, kT0);
  ASSERT_TRUE(u1.ok()) << u1.status();
  EXPECT_EQ(u1->etag(), "2");
  EXPECT_FALSE(store_->GetSession(Id(m), s1.id)->ended);
  // A stale etag is ABORTED.
  EXPECT_EQ(store_->Update(Id(m), renamed, kT0).status().code(),
            absl::StatusCode::kAborted);
  // Same email in other case: not a change.
  StaffMember recased = *u1;
  recased.set_email("JANE@example.com");
  absl::StatusOr<StaffMember> u2 = store_->Update(Id(m), recased, kT0);
  ASSERT_TRUE(u2.ok());
  EXPECT_FALSE(store_->GetSession(Id(m), s1.id)->ended);
  // A role change ends them.
  StaffMember promoted = *u2;
  promoted.add_roles(api::v1::STAFF_ROLE_ADMIN);
  ASSERT_TRUE(store_->Update(Id(m), promoted, kT0).ok());
  EXPECT_TRUE(store_->GetSession(Id(m), s1.id)->ended);
  // An email change too.
  SessionRecord s2 = NewSession(Id(m), std::string(32, '\2'));
  StaffMember moved = *store_->Get(Id(m));
  moved.set_email("janet@example.com");
  ASSERT_TRUE(store_->Update(Id(m), moved, kT0).ok());
  EXPECT_TRUE(store_->GetSession(Id(m), s2.id)->ended);
  // Taking another member's email is ALREADY_EXISTS.
  Create(Member("Bob", "Adams", "bob@example.com"));
  StaffMember thief = *store_->Get(Id(m));
  thief.set_email("Bob@example.com");
  EXPECT_EQ(store_->Update(Id(m), thief, kT0).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(PgStoreTest, DeactivateEndsEverySessionAndRefusesUpdates) {
  StaffMember m = Create(Member("Jane", "Runner", "jane@example.com"));
  SessionRecord s1 = NewSession(Id(m), std::string(32, 'a'));
  SessionRecord s2 = NewSession(Id(m), std::string(32, 'b'));
  absl::StatusOr<StaffMember> d = store_->Deactivate(Id(m), kT0);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->state(), v1::STAFF_STATE_DEACTIVATED);
  EXPECT_GT(d->deactivate_time().seconds(), 0);
  EXPECT_TRUE(store_->GetSession(Id(m), s1.id)->ended);
  EXPECT_TRUE(store_->GetSession(Id(m), s2.id)->ended);
  EXPECT_TRUE(store_->Deactivate(Id(m), kT0).ok());  // no-op
  StaffMember again = *d;
  EXPECT_EQ(store_->Update(Id(m), again, kT0).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      store_->SetPassword(Id(m), "x", EndReason::kPasswordReset, kT0).code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_F(PgStoreTest, SessionsByTokenHashTouchEndAndList) {
  StaffMember m = Create(Member("Jane", "Runner", "jane@example.com"));
  SessionRecord s = NewSession(Id(m), std::string(32, 'x'));
  absl::StatusOr<SessionWithMember> found =
      store_->FindSession(std::string(32, 'x'));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->session.id, s.id);
  EXPECT_EQ(found->session.create_time, kT0);
  EXPECT_EQ(found->session.expire_time, kT0 + absl::Hours(12));
  EXPECT_EQ(found->member.name(), m.name());
  EXPECT_EQ(store_->FindSession(std::string(32, 'y')).status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->TouchSession(s.id, kT0 + absl::Minutes(5)).ok());
  EXPECT_EQ(store_->GetSession(Id(m), s.id)->last_seen_time,
            kT0 + absl::Minutes(5));
  SessionRecord newer = NewSession(Id(m), std::string(32, 'z'));
  ASSERT_TRUE(store_->TouchSession(newer.id, kT0 + absl::Minutes(1)).ok());
  absl::StatusOr<std::vector<SessionRecord>> active =
      store_->ListActiveSessions(Id(m), kT0 + absl::Minutes(6),
                                 kT0 + absl::Minutes(6) - absl::Minutes(30));
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(active->size(), 2u);
  ASSERT_TRUE(store_->EndSession(s.id, EndReason::kLogout, kT0).ok());
  EXPECT_TRUE(store_->GetSession(Id(m), s.id)->ended);
  active = store_->ListActiveSessions(Id(m), kT0, kT0 - absl::Minutes(30));
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].id, newer.id);
  // Another member's id does not find it.
  StaffMember other = Create(Member("Bob", "Adams", "bob@example.com"));
  EXPECT_EQ(store_->GetSession(Id(other), newer.id).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PgStoreTest, SetPasswordEndsSessionsAndRehashIsConditional) {
  StaffMember m = Create(Member("Jane", "Runner", "jane@example.com"), "old");
  SessionRecord s = NewSession(Id(m), std::string(32, 'q'));
  ASSERT_TRUE(store_->RehashPassword(Id(m), "old", "old-rehashed").ok());
  EXPECT_EQ(store_->GetCredentials(Id(m))->password_hash, "old-rehashed");
  EXPECT_FALSE(store_->GetSession(Id(m), s.id)->ended);
  ASSERT_TRUE(
      store_->SetPassword(Id(m), "new", EndReason::kPasswordChanged, kT0).ok());
  EXPECT_TRUE(store_->GetSession(Id(m), s.id)->ended);
  // A rehash of the old hash no longer applies.
  ASSERT_TRUE(store_->RehashPassword(Id(m), "old-rehashed", "stale").ok());
  EXPECT_EQ(store_->GetCredentials(Id(m))->password_hash, "new");
}

TEST_F(PgStoreTest, ThrottleAdmitsRecordsAndForgives) {
  const ThrottlePolicy five{5, absl::Minutes(15)};
  const ThrottlePolicy twenty{20, absl::Minutes(15)};
  std::vector<ThrottleKey> keys = {{"email:a@example.com", five},
                                   {"addr:10.0.0.1", twenty}};
  std::vector<int64_t> last;
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<std::vector<int64_t>> ids =
        store_->AdmitLoginAttempt(keys, kT0 + absl::Minutes(i));
    ASSERT_TRUE(ids.ok()) << i << ids.status();
    EXPECT_EQ(ids->size(), 2u);
    last = *ids;
  }
  absl::StatusOr<std::vector<int64_t>> refused =
      store_->AdmitLoginAttempt(keys, kT0 + absl::Minutes(5));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.status().message(),
            "too many failed login attempts; try again in 10 minutes");
  // Once the first failure leaves the window, one more.
  EXPECT_TRUE(
      store_
          ->AdmitLoginAttempt(keys, kT0 + absl::Minutes(15) + absl::Seconds(1))
          .ok());
  // Forgiving clears the email's failures and the attempt's own address
  // failure (at T0+4); the address keeps T0+1..T0+3 and the one at T0+15:01
  // (T0 left the window).
  ASSERT_TRUE(store_->ForgiveLoginAttempt(last, "email:a@example.com").ok());
  pqxx::connection c(conninfo_);
  pqxx::nontransaction n(c);
  EXPECT_EQ(n.exec("SELECT count(*) FROM staff.login_failures WHERE key ="
                   " 'email:a@example.com'")[0][0]
                .as<int>(),
            0);
  EXPECT_EQ(n.exec("SELECT count(*) FROM staff.login_failures WHERE key ="
                   " 'addr:10.0.0.1'")[0][0]
                .as<int>(),
            4);
}

TEST_F(PgStoreTest, ConcurrentAttemptsCannotExceedTheLimit) {
  const ThrottlePolicy five{5, absl::Minutes(15)};
  std::atomic<int> admitted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&] {
      if (store_->AdmitLoginAttempt({{"email:race@example.com", five}}, kT0)
              .ok()) {
        ++admitted;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 5);
}

TEST_F(PgStoreTest, BootstrapCreatesOneAdminOnly) {
  BootstrapRequest request;
  request.email = "first@example.com";
  absl::StatusOr<BootstrapResult> first = BootstrapAdmin(store_.get(), request);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->password.size(), kGeneratedPasswordLength);
  EXPECT_EQ(first->member.roles(0), api::v1::STAFF_ROLE_ADMIN);
  EXPECT_EQ(first->member.given_name(), "Admin");
  absl::StatusOr<MemberCredentials> creds =
      store_->GetCredentials(Id(first->member));
  ASSERT_TRUE(creds.ok());
  EXPECT_TRUE(VerifyPassword(creds->password_hash, first->password));
  request.email = "second@example.com";
  EXPECT_EQ(BootstrapAdmin(store_.get(), request).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // With the only admin deactivated, a new one may be bootstrapped.
  ASSERT_TRUE(store_->Deactivate(Id(first->member), kT0).ok());
  EXPECT_TRUE(BootstrapAdmin(store_.get(), request).ok());
}

}  // namespace
}  // namespace clinic::staff
