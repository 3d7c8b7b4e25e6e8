// StaffService over real gRPC (port 0) on a real PostgreSQL database, with an
// injected clock.
#include "services/staff/service.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/common/server/caller.h"
#include "services/common/server/client.h"
#include "services/common/server/server.h"
#include "services/common/testing/postgres.h"
#include "services/staff/pg_store.h"

namespace clinic::staff {
namespace {

using api::v1::STAFF_ROLE_ADMIN;
using api::v1::STAFF_ROLE_FRONT_DESK;
using api::v1::STAFF_ROLE_THERAPIST;
using grpc::StatusCode;
using v1::StaffMember;

constexpr char kSecret[] = "test-gateway-secret";
const absl::Time kT0 = absl::FromUnixSeconds(1800000000);

// A running server over the shared store, with its own options.
struct Running {
  std::unique_ptr<StaffServiceImpl> service;
  std::unique_ptr<server::Server> server;
  std::unique_ptr<v1::StaffService::Stub> stub;
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string conninfo = testing::NewTestDatabase();
    ASSERT_TRUE(MigrateStaff(conninfo).ok());
    db::PoolOptions o;
    o.conninfo = conninfo;
    pool_ = std::make_unique<db::Pool>(o);
    store_ = std::make_unique<PgStaffStore>(pool_.get());
    main_ = Start(StaffServiceOptions{});
    admin_ = Seed("Ada", "Admin", "ada@clinic.test", {STAFF_ROLE_ADMIN},
                  kAdminPassword);
    desk_ = Seed("Dee", "Desk", "dee@clinic.test", {STAFF_ROLE_FRONT_DESK},
                 kDeskPassword);
    therapist_ = Seed("Theo", "Therapist", "theo@clinic.test",
                      {STAFF_ROLE_THERAPIST}, kTherapistPassword);
  }

  Running Start(StaffServiceOptions options) {
    options.now = [this] { return absl::FromUnixMicros(now_micros_.load()); };
    Running r;
    r.service =
        std::make_unique<StaffServiceImpl>(store_.get(), &verifier_, options);
    auto server = server::Server::Start(
        server::ServerOptions{},
        {{r.service.get(), v1::StaffService::service_full_name()}});
    EXPECT_TRUE(server.ok());
    r.server = *std::move(server);
    r.stub = v1::StaffService::NewStub(
        server::NewChannel(absl::StrCat("127.0.0.1:", r.server->port())));
    return r;
  }

  void Advance(absl::Duration d) {
    now_micros_ += absl::ToInt64Microseconds(d);
  }

  StaffMember Seed(const std::string& given, const std::string& family,
                   const std::string& email,
                   std::vector<api::v1::StaffRole> roles,
                   const std::string& password) {
    StaffMember m;
    m.set_given_name(given);
    m.set_family_name(family);
    m.set_email(email);
    for (auto r : roles) m.add_roles(r);
    absl::StatusOr<std::string> hash = HashPassword(password, Argon2Params{});
    EXPECT_TRUE(hash.ok());
    absl::StatusOr<CreateResult> created =
        store_->Create(m, *hash, RequestKey{});
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->member : StaffMember();
  }

  // The caller the gateway would forward for `member` (and a session).
  static server::Caller As(const StaffMember& member,
                           const std::string& session = "") {
    server::Caller c;
    c.staff = member.name();
    for (int r : member.roles()) {
      c.roles.push_back(static_cast<api::v1::StaffRole>(r));
    }
    c.session = session;
    return c;
  }
  static server::Caller Gateway() {
    server::Caller c;
    c.client_address = "192.0.2.10";
    return c;
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const server::Caller& caller) {
    auto ctx = server::NewCallContext(absl::Seconds(10));
    verifier_.Forward(caller, *ctx);
    return ctx;
  }

  grpc::Status Login(const std::string& email, const std::string& password,
                     v1::LoginResponse* out,
                     const std::string& address = "192.0.2.10",
                     Running* on = nullptr) {
    v1::LoginRequest req;
    req.set_email(email);
    req.set_password(password);
    req.set_client_address(address);
    req.set_user_agent("Mozilla/5.0 (test)");
    return (on ? on : &main_)->stub->Login(Ctx(Gateway()).get(), req, out);
  }
  grpc::Status Validate(const std::string& token,
                        v1::ValidateSessionResponse* out) {
    v1::ValidateSessionRequest req;
    req.set_session_token(token);
    return main_.stub->ValidateSession(Ctx(Gateway()).get(), req, out);
  }
  // Logs in and returns the caller the gateway would forward.
  server::Caller LoggedIn(const std::string& email, const std::string& password,
                          std::string* token = nullptr) {
    v1::LoginResponse resp;
    grpc::Status s = Login(email, password, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (token) *token = resp.session_token();
    return As(resp.staff_member(), resp.session().name());
  }
  grpc::Status Get(const server::Caller& caller, const std::string& name,
                   StaffMember* out) {
    v1::GetStaffMemberRequest req;
    req.set_name(name);
    return main_.stub->GetStaffMember(Ctx(caller).get(), req, out);
  }
  grpc::Status Create(const server::Caller& caller, const StaffMember& m,
                      v1::CreateStaffMemberResponse* out,
                      const std::string& request_id = "") {
    v1::CreateStaffMemberRequest req;
    *req.mutable_staff_member() = m;
    req.set_request_id(request_id);
    return main_.stub->CreateStaffMember(Ctx(caller).get(), req, out);
  }
  grpc::Status Update(const server::Caller& caller, const StaffMember& m,
                      const std::vector<std::string>& paths, StaffMember* out) {
    v1::UpdateStaffMemberRequest req;
    *req.mutable_staff_member() = m;
    for (const auto& p : paths) req.mutable_update_mask()->add_paths(p);
    return main_.stub->UpdateStaffMember(Ctx(caller).get(), req, out);
  }
  grpc::Status Deactivate(const server::Caller& caller, const std::string& name,
                          StaffMember* out) {
    v1::DeactivateStaffMemberRequest req;
    req.set_name(name);
    return main_.stub->DeactivateStaffMember(Ctx(caller).get(), req, out);
  }
  grpc::Status ChangePassword(const server::Caller& caller,
                              const std::string& current,
                              const std::string& next) {
    v1::ChangePasswordRequest req;
    req.set_current_password(current);
    req.set_new_password(next);
    v1::ChangePasswordResponse resp;
    return main_.stub->ChangePassword(Ctx(caller).get(), req, &resp);
  }
  std::string HashOf(const StaffMember& m) {
    return store_->GetCredentials(m.name().substr(6))->password_hash;
  }

  static StaffMember NewMember() {
    StaffMember m;
    m.set_given_name("Nina");
    m.set_family_name("New");
    m.set_email("Nina.New@Clinic.Test");
    m.add_roles(STAFF_ROLE_THERAPIST);
    m.add_credentials("DPT");
    m.add_home_locations("locations/downtown");
    return m;
  }

  static constexpr char kAdminPassword[] = "admin walnut ledger tide";
  static constexpr char kDeskPassword[] = "desk copper lantern moss";
  static constexpr char kTherapistPassword[] = "theo quiet harbor fern";

  std::atomic<int64_t> now_micros_{absl::ToUnixMicros(kT0)};
  server::CallerVerifier verifier_{kSecret};
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<PgStaffStore> store_;
  Running main_;
  StaffMember admin_, desk_, therapist_;
};

TEST_F(ServiceTest, CallsWithoutTheSecretAreUnauthenticated) {
  StaffMember out;
  v1::GetStaffMemberRequest get;
  get.set_name(admin_.name());
  auto bare = server::NewCallContext(absl::Seconds(5));
  bare->AddMetadata(server::kStaffKey, admin_.name());
  bare->AddMetadata(server::kRolesKey, "STAFF_ROLE_ADMIN");
  EXPECT_EQ(main_.stub->GetStaffMember(bare.get(), get, &out).error_code(),
            StatusCode::UNAUTHENTICATED);
  server::CallerVerifier wrong("not-the-secret");
  auto ctx = server::NewCallContext(absl::Seconds(5));
  wrong.Forward(As(admin_), *ctx);
  EXPECT_EQ(main_.stub->GetStaffMember(ctx.get(), get, &out).error_code(),
            StatusCode::UNAUTHENTICATED);
  v1::LoginRequest login;
  login.set_email("ada@clinic.test");
  login.set_password(kAdminPassword);
  v1::LoginResponse resp;
  auto ctx2 = server::NewCallContext(absl::Seconds(5));
  EXPECT_EQ(main_.stub->Login(ctx2.get(), login, &resp).error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(resp.session_token().empty());
  // Staff methods with the secret but no staff caller.
  EXPECT_EQ(Get(Gateway(), admin_.name(), &out).error_code(),
            StatusCode::UNAUTHENTICATED);
}

TEST_F(ServiceTest, CreateGetListUpdate) {
  v1::CreateStaffMemberResponse created;
  grpc::Status s = Create(As(admin_), NewMember(), &created);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const StaffMember& m = created.staff_member();
  EXPECT_EQ(m.email(), "Nina.New@clinic.test");
  EXPECT_EQ(m.state(), v1::STAFF_STATE_ACTIVE);
  EXPECT_EQ(created.initial_password().size(), kGeneratedPasswordLength);
  // The initial password works (case-insensitive email).
  v1::LoginResponse login;
  ASSERT_TRUE(
      Login("nina.new@clinic.test", created.initial_password(), &login).ok());
  StaffMember got;
  ASSERT_TRUE(Get(As(admin_), m.name(), &got).ok());
  EXPECT_EQ(got.credentials(0), "DPT");

  v1::ListStaffMembersRequest list;
  v1::ListStaffMembersResponse listed;
  ASSERT_TRUE(
      main_.stub->ListStaffMembers(Ctx(As(desk_)).get(), list, &listed).ok());
  ASSERT_EQ(listed.staff_members_size(), 4);
  EXPECT_EQ(listed.staff_members(0).family_name(), "Admin");
  list.set_role(STAFF_ROLE_THERAPIST);
  list.set_page_size(1);
  listed.Clear();
  ASSERT_TRUE(
      main_.stub->ListStaffMembers(Ctx(As(desk_)).get(), list, &listed).ok());
  ASSERT_EQ(listed.staff_members_size(), 1);
  EXPECT_EQ(listed.staff_members(0).family_name(), "New");
  list.set_page_token(listed.next_page_token());
  listed.Clear();
  ASSERT_TRUE(
      main_.stub->ListStaffMembers(Ctx(As(desk_)).get(), list, &listed).ok());
  ASSERT_EQ(listed.staff_members_size(), 1);
  EXPECT_EQ(listed.staff_members(0).family_name(), "Therapist");
  EXPECT_EQ(listed.next_page_token(), "");

  StaffMember change;
  change.set_name(m.name());
  change.set_etag(m.etag());
  change.add_home_locations("locations/uptown");
  change.add_home_locations("locations/downtown");
  StaffMember updated;
  s = Update(As(admin_), change, {"home_locations"}, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(updated.home_locations_size(), 2);
  EXPECT_EQ(updated.given_name(), "Nina");
  EXPECT_NE(updated.etag(), m.etag());
  // The same stale etag again: ABORTED.
  EXPECT_EQ(
      Update(As(admin_), change, {"home_locations"}, &updated).error_code(),
      StatusCode::ABORTED);
  change.set_etag(updated.etag());
  EXPECT_EQ(Update(As(admin_), change, {"state"}, &updated).error_code(),
            StatusCode::INVALID_ARGUMENT);
  change.set_email("theo@clinic.test");
  EXPECT_EQ(Update(As(admin_), change, {"email"}, &updated).error_code(),
            StatusCode::ALREADY_EXISTS);
}

TEST_F(ServiceTest, CreateIsIdempotentAndReturnsThePasswordOnce) {
  v1::CreateStaffMemberResponse first, retry;
  ASSERT_TRUE(Create(As(admin_), NewMember(), &first, "req-42").ok());
  ASSERT_TRUE(Create(As(admin_), NewMember(), &retry, "req-42").ok());
  EXPECT_EQ(first.staff_member().name(), retry.staff_member().name());
  EXPECT_FALSE(first.initial_password().empty());
  EXPECT_TRUE(retry.initial_password().empty());
  // Without the request_id, a second create is ALREADY_EXISTS (the email).
  v1::CreateStaffMemberResponse dup;
  EXPECT_EQ(Create(As(admin_), NewMember(), &dup).error_code(),
            StatusCode::ALREADY_EXISTS);
}

TEST_F(ServiceTest, ValidationNamesTheField) {
  struct Case {
    std::function<void(StaffMember&)> spoil;
    std::string prefix;
  } cases[] = {
      {[](StaffMember& m) { m.set_email("nina@"); }, "staff_member.email: "},
      {[](StaffMember& m) { m.clear_roles(); },
       "staff_member.roles: at least one role"},
      {[](StaffMember& m) { m.add_roles(static_cast<api::v1::StaffRole>(7)); },
       "staff_member.roles: unknown role 7"},
      {[](StaffMember& m) { m.add_roles(STAFF_ROLE_THERAPIST); },
       "staff_member.roles: duplicate"},
      {[](StaffMember& m) { m.add_credentials("P T"); },
       "staff_member.credentials: "},
      {[](StaffMember& m) { m.add_home_locations("downtown"); },
       "staff_member.home_locations: "},
      {[](StaffMember& m) { m.set_given_name(std::string(101, 'n')); },
       "staff_member.given_name: "},
  };
  for (const Case& c : cases) {
    StaffMember m = NewMember();
    c.spoil(m);
    v1::CreateStaffMemberResponse out;
    grpc::Status s = Create(As(admin_), m, &out);
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << c.prefix;
    EXPECT_TRUE(absl::StartsWith(s.error_message(), c.prefix))
        << s.error_message();
  }
}

TEST_F(ServiceTest, LoginThenValidateSession) {
  v1::LoginResponse login;
  ASSERT_TRUE(Login(" ADA@clinic.test ", kAdminPassword, &login).ok());
  EXPECT_EQ(login.session_token().size(), 43u);
  EXPECT_EQ(login.staff_member().name(), admin_.name());
  EXPECT_TRUE(
      absl::StartsWith(login.session().name(), admin_.name() + "/sessions/"));
  EXPECT_EQ(login.session().client_address(), "192.0.2.10");
  EXPECT_EQ(login.session().user_agent(), "Mozilla/5.0 (test)");
  EXPECT_EQ(login.session().expire_time().seconds(),
            absl::ToUnixSeconds(kT0 + absl::Hours(12)));
  EXPECT_EQ(login.session().idle_expire_time().seconds(),
            absl::ToUnixSeconds(kT0 + absl::Minutes(30)));
  v1::ValidateSessionResponse v;
  grpc::Status s = Validate(login.session_token(), &v);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(v.staff_member().name(), admin_.name());
  EXPECT_EQ(v.session().name(), login.session().name());
  EXPECT_TRUE(v.session().current());
  // Each login is a new session with a new token.
  v1::LoginResponse again;
  ASSERT_TRUE(Login("ada@clinic.test", kAdminPassword, &again).ok());
  EXPECT_NE(again.session_token(), login.session_token());
  EXPECT_NE(again.session().name(), login.session().name());
  // Unknown tokens.
  EXPECT_EQ(Validate("", &v).error_code(), StatusCode::UNAUTHENTICATED);
  s = Validate(login.session_token() + "x", &v);
  EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(), "not logged in");
}

TEST_F(ServiceTest, IdleTimeoutAndTouchAtMostOnceAMinute) {
  v1::LoginResponse login;
  ASSERT_TRUE(Login("ada@clinic.test", kAdminPassword, &login).ok());
  v1::ValidateSessionResponse v;
  Advance(absl::Seconds(30));
  ASSERT_TRUE(Validate(login.session_token(), &v).ok());
  // Not written: less than a minute since the last write.
  EXPECT_EQ(v.session().last_seen_time().seconds(), absl::ToUnixSeconds(kT0));
  Advance(absl::Seconds(40));
  ASSERT_TRUE(Validate(login.session_token(), &v).ok());
  EXPECT_EQ(v.session().last_seen_time().seconds(),
            absl::ToUnixSeconds(kT0 + absl::Seconds(70)));
  // 29 minutes of quiet: still alive, and the activity moved the deadline.
  Advance(absl::Minutes(29));
  ASSERT_TRUE(Validate(login.session_token(), &v).ok());
  // 30 minutes of quiet: expired, and stays so.
  Advance(absl::Minutes(30));
  grpc::Status s = Validate(login.session_token(), &v);
  EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(), "session expired");
  Advance(-absl::Minutes(20));
  EXPECT_EQ(Validate(login.session_token(), &v).error_code(),
            StatusCode::UNAUTHENTICATED);
}

TEST_F(ServiceTest, AbsoluteTimeoutEndsEvenABusySession) {
  v1::LoginResponse login;
  ASSERT_TRUE(Login("ada@clinic.test", kAdminPassword, &login).ok());
  v1::ValidateSessionResponse v;
  for (int i = 0; i < 47; ++i) {  // every 15 minutes for 11h45
    Advance(absl::Minutes(15));
    ASSERT_TRUE(Validate(login.session_token(), &v).ok()) << i;
  }
  EXPECT_EQ(v.session().idle_expire_time().seconds(),
            absl::ToUnixSeconds(kT0 + absl::Hours(12)));
  Advance(absl::Minutes(15));
  grpc::Status s = Validate(login.session_token(), &v);
  EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(), "session expired");
}

TEST_F(ServiceTest, LogoutEndsTheSessionAndTheStolenCookieIsRefused) {
  std::string token;
  server::Caller me = LoggedIn("theo@clinic.test", kTherapistPassword, &token);
  v1::LogoutResponse out;
  ASSERT_TRUE(
      main_.stub->Logout(Ctx(me).get(), v1::LogoutRequest(), &out).ok());
  v1::ValidateSessionResponse v;
  EXPECT_EQ(Validate(token, &v).error_code(), StatusCode::UNAUTHENTICATED);
}

TEST_F(ServiceTest, ChangePasswordEndsSessionsNewWorksOldDoesNot) {
  std::string token1, token2;
  server::Caller me = LoggedIn("theo@clinic.test", kTherapistPassword, &token1);
  LoggedIn("theo@clinic.test", kTherapistPassword, &token2);
  // Policy and current password.
  grpc::Status s = ChangePassword(me, kTherapistPassword, "short");
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(s.error_message(), "new_password: "));
  s = ChangePassword(me, kTherapistPassword, "theo@clinic.test");
  EXPECT_EQ(s.error_message(), "new_password: must not be your email address");
  s = ChangePassword(me, kTherapistPassword, "Password12345!");
  EXPECT_TRUE(
      absl::StartsWith(s.error_message(), "new_password: is too common"));
  s = ChangePassword(me, "not my password", "a fresh long passphrase");
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "current_password: is not right");
  v1::ValidateSessionResponse v;
  ASSERT_TRUE(Validate(token1, &v).ok());
  // Right.
  s = ChangePassword(me, kTherapistPassword, "a fresh long passphrase");
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Validate(token1, &v).error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Validate(token2, &v).error_code(), StatusCode::UNAUTHENTICATED);
  v1::LoginResponse login;
  EXPECT_EQ(Login("theo@clinic.test", kTherapistPassword, &login).error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(
      Login("theo@clinic.test", "a fresh long passphrase", &login).ok());
}

TEST_F(ServiceTest, ResetPasswordByAnAdmin) {
  std::string token;
  LoggedIn("theo@clinic.test", kTherapistPassword, &token);
  v1::ResetPasswordRequest req;
  req.set_name(therapist_.name());
  v1::ResetPasswordResponse resp;
  EXPECT_EQ(
      main_.stub->ResetPassword(Ctx(As(desk_)).get(), req, &resp).error_code(),
      StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      main_.stub->ResetPassword(Ctx(As(admin_)).get(), req, &resp).ok());
  EXPECT_EQ(resp.new_password().size(), kGeneratedPasswordLength);
  v1::ValidateSessionResponse v;
  EXPECT_EQ(Validate(token, &v).error_code(), StatusCode::UNAUTHENTICATED);
  v1::LoginResponse login;
  EXPECT_FALSE(Login("theo@clinic.test", kTherapistPassword, &login).ok());
  EXPECT_TRUE(Login("theo@clinic.test", resp.new_password(), &login).ok());
  req.set_name("staff/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(
      main_.stub->ResetPassword(Ctx(As(admin_)).get(), req, &resp).error_code(),
      StatusCode::NOT_FOUND);
}

TEST_F(ServiceTest, ThrottlesPerEmailEvenWithTheRightPassword) {
  v1::LoginResponse login;
  for (int i = 0; i < 5; ++i) {
    grpc::Status s =
        Login("theo@clinic.test", "wrong password " + std::to_string(i), &login,
              "192.0.2." + std::to_string(i));
    EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(s.error_message(), "wrong email or password");
    Advance(absl::Minutes(1));
  }
  grpc::Status s =
      Login("THEO@clinic.test", kTherapistPassword, &login, "198.51.100.1");
  EXPECT_EQ(s.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(s.error_message(),
            "too many failed login attempts; try again in 10 minutes");
  // Others are not affected.
  EXPECT_TRUE(Login("ada@clinic.test", kAdminPassword, &login).ok());
  // When the first failure leaves the window, the right password works and
  // clears the count.
  Advance(absl::Minutes(11));
  ASSERT_TRUE(Login("theo@clinic.test", kTherapistPassword, &login).ok());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Login("theo@clinic.test", "nope nope nope", &login).error_code(),
              StatusCode::UNAUTHENTICATED);
  }
  EXPECT_TRUE(Login("theo@clinic.test", kTherapistPassword, &login).ok());
}

TEST_F(ServiceTest, UnknownEmailsAreThrottledAndAnsweredTheSame) {
  v1::LoginResponse login;
  for (int i = 0; i < 5; ++i) {
    grpc::Status s = Login("ghost@clinic.test", kAdminPassword, &login,
                           "192.0.2." + std::to_string(i));
    EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(s.error_message(), "wrong email or password");
  }
  grpc::Status s = Login("ghost@clinic.test", kAdminPassword, &login);
  EXPECT_EQ(s.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(s.error_message(),
            "too many failed login attempts; try again in 15 minutes");
}

TEST_F(ServiceTest, ThrottlesPerClientAddress) {
  v1::LoginResponse login;
  for (int i = 0; i < 20; ++i) {
    // Different emails, so only the address limit applies.
    EXPECT_EQ(Login("user" + std::to_string(i) + "@clinic.test",
                    "guess guess guess", &login, "203.0.113.9")
                  .error_code(),
              StatusCode::UNAUTHENTICATED);
  }
  grpc::Status s =
      Login("ada@clinic.test", kAdminPassword, &login, "203.0.113.9");
  EXPECT_EQ(s.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  // From elsewhere the same member logs in.
  EXPECT_TRUE(
      Login("ada@clinic.test", kAdminPassword, &login, "203.0.113.10").ok());
}

TEST_F(ServiceTest, LoginRehashesWhenParametersRise) {
  const std::string before = HashOf(therapist_);
  EXPECT_TRUE(absl::StartsWith(before, "$argon2id$v=19$m=19456,t=2,p=1$"));
  StaffServiceOptions stronger;
  stronger.argon2.ops = 3;
  Running upgraded = Start(stronger);
  v1::LoginResponse login;
  ASSERT_TRUE(Login("theo@clinic.test", kTherapistPassword, &login,
                    "192.0.2.10", &upgraded)
                  .ok());
  const std::string after = HashOf(therapist_);
  EXPECT_NE(after, before);
  EXPECT_TRUE(absl::StartsWith(after, "$argon2id$v=19$m=19456,t=3,p=1$"))
      << after;
  EXPECT_TRUE(VerifyPassword(after, kTherapistPassword));
  // And the old service still accepts it (libsodium reads the parameters
  // from the hash).
  ASSERT_TRUE(Login("theo@clinic.test", kTherapistPassword, &login).ok());
}

TEST_F(ServiceTest, PermissionRules) {
  StaffMember out;
  v1::CreateStaffMemberResponse created;
  // Front desk cannot create.
  EXPECT_EQ(Create(As(desk_), NewMember(), &created).error_code(),
            StatusCode::PERMISSION_DENIED);
  // A therapist cannot get another member, existing or not (permission
  // before existence), but can get themself.
  EXPECT_EQ(Get(As(therapist_), admin_.name(), &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      Get(As(therapist_), "staff/00000000-0000-4000-8000-000000000000", &out)
          .error_code(),
      StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Get(As(therapist_), therapist_.name(), &out).ok());
  EXPECT_EQ(Get(As(admin_), "staff/00000000-0000-4000-8000-000000000000", &out)
                .error_code(),
            StatusCode::NOT_FOUND);
  // Self may change names and credentials, not roles or email.
  StaffMember self = therapist_;
  self.set_given_name("Theodora");
  self.add_credentials("OCS");
  grpc::Status s =
      Update(As(therapist_), self, {"given_name", "credentials"}, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.given_name(), "Theodora");
  self.set_etag(out.etag());
  self.add_roles(STAFF_ROLE_ADMIN);
  EXPECT_EQ(Update(As(therapist_), self, {"roles"}, &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Update(As(therapist_), self, {"*"}, &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  StaffMember other = desk_;
  other.set_given_name("Mallory");
  EXPECT_EQ(Update(As(therapist_), other, {"given_name"}, &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  // An admin cannot deactivate themself nor drop their own admin role.
  s = Deactivate(As(admin_), admin_.name(), &out);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  StaffMember demoted = admin_;
  demoted.clear_roles();
  demoted.add_roles(STAFF_ROLE_THERAPIST);
  EXPECT_EQ(Update(As(admin_), demoted, {"roles"}, &out).error_code(),
            StatusCode::FAILED_PRECONDITION);
  // Only admins deactivate.
  EXPECT_EQ(Deactivate(As(desk_), therapist_.name(), &out).error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(ServiceTest, DeactivateEndsSessionsAndRefusesLogin) {
  std::string token;
  LoggedIn("theo@clinic.test", kTherapistPassword, &token);
  StaffMember out;
  ASSERT_TRUE(Deactivate(As(admin_), therapist_.name(), &out).ok());
  EXPECT_EQ(out.state(), v1::STAFF_STATE_DEACTIVATED);
  v1::ValidateSessionResponse v;
  EXPECT_EQ(Validate(token, &v).error_code(), StatusCode::UNAUTHENTICATED);
  v1::LoginResponse login;
  grpc::Status s = Login("theo@clinic.test", kTherapistPassword, &login);
  EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(s.error_message(), "wrong email or password");
  // Only admins see deactivated members.
  v1::ListStaffMembersRequest list;
  list.set_show_deactivated(true);
  v1::ListStaffMembersResponse listed;
  ASSERT_TRUE(
      main_.stub->ListStaffMembers(Ctx(As(desk_)).get(), list, &listed).ok());
  EXPECT_EQ(listed.staff_members_size(), 2);
  listed.Clear();
  ASSERT_TRUE(
      main_.stub->ListStaffMembers(Ctx(As(admin_)).get(), list, &listed).ok());
  EXPECT_EQ(listed.staff_members_size(), 3);
}

TEST_F(ServiceTest, RoleChangeEndsSessions) {
  std::string token;
  LoggedIn("dee@clinic.test", kDeskPassword, &token);
  StaffMember change = desk_;
  change.add_roles(STAFF_ROLE_THERAPIST);
  StaffMember out;
  ASSERT_TRUE(Update(As(admin_), change, {"roles"}, &out).ok());
  v1::ValidateSessionResponse v;
  EXPECT_EQ(Validate(token, &v).error_code(), StatusCode::UNAUTHENTICATED);
}

TEST_F(ServiceTest, ListMySessionsAndRevoke) {
  std::string token1, token2;
  server::Caller first = LoggedIn("dee@clinic.test", kDeskPassword, &token1);
  Advance(absl::Minutes(2));
  server::Caller second = LoggedIn("dee@clinic.test", kDeskPassword, &token2);
  v1::ListMySessionsResponse mine;
  ASSERT_TRUE(main_.stub
                  ->ListMySessions(Ctx(second).get(),
                                   v1::ListMySessionsRequest(), &mine)
                  .ok());
  ASSERT_EQ(mine.sessions_size(), 2);
  EXPECT_EQ(mine.sessions(0).name(), second.session);  // newest first
  EXPECT_TRUE(mine.sessions(0).current());
  EXPECT_FALSE(mine.sessions(1).current());
  // A therapist cannot revoke Dee's session; Dee and an admin can.
  v1::RevokeSessionRequest revoke;
  revoke.set_name(first.session);
  v1::RevokeSessionResponse done;
  EXPECT_EQ(main_.stub->RevokeSession(Ctx(As(therapist_)).get(), revoke, &done)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(main_.stub->RevokeSession(Ctx(second).get(), revoke, &done).ok());
  v1::ValidateSessionResponse v;
  EXPECT_EQ(Validate(token1, &v).error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Validate(token2, &v).ok());
  revoke.set_name(second.session);
  ASSERT_TRUE(
      main_.stub->RevokeSession(Ctx(As(admin_)).get(), revoke, &done).ok());
  EXPECT_EQ(Validate(token2, &v).error_code(), StatusCode::UNAUTHENTICATED);
  revoke.set_name(desk_.name() +
                  "/sessions/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(main_.stub->RevokeSession(Ctx(As(admin_)).get(), revoke, &done)
                .error_code(),
            StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace clinic::staff
