// Staff sessions and the access option over real HTTP: a fake StaffService
// and a PatientService that records the metadata it receives, both real gRPC
// servers on port 0, in front of the real gateway.
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/common/server/caller.h"
#include "services/gateway/fake_staff_service.h"
#include "services/gateway/gateway_server.h"
#include "services/gateway/test_http_client.h"

namespace clinic::gateway {
namespace {

namespace fs = std::filesystem;
using ::clinic::gateway::testing::FakeStaffService;
using ::clinic::gateway::testing::Fetch;
using ::clinic::gateway::testing::HttpRequest;
using ::clinic::gateway::testing::HttpResponse;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSecret[] = "gateway-auth-test-secret";
constexpr char kCookie[] = "__Host-clinic_session";
constexpr char kGetPatient[] = "/clinic.patients.v1.PatientService/GetPatient";
constexpr char kArchivePatient[] =
    "/clinic.patients.v1.PatientService/ArchivePatient";
constexpr char kCsp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

// GetPatient answers and records the metadata of the call.
class RecordingPatientService final
    : public clinic::patients::v1::PatientService::Service {
 public:
  grpc::Status GetPatient(grpc::ServerContext* context,
                          const clinic::patients::v1::GetPatientRequest*,
                          clinic::patients::v1::Patient* response) override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    metadata_.clear();
    for (const auto& [key, value] : context->client_metadata()) {
      metadata_[std::string(key.data(), key.size())] =
          std::string(value.data(), value.size());
    }
    response->set_name("patients/1");
    return grpc::Status::OK;
  }

  std::map<std::string, std::string> metadata() {
    absl::MutexLock lock(&mu_);
    return metadata_;
  }
  int calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, std::string> metadata_ ABSL_GUARDED_BY(mu_);
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
};

class GatewayAuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    patients_ = new RecordingPatientService;
    staff_ = new FakeStaffService(kSecret);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &backend_port_);
    builder.RegisterService(patients_);
    builder.RegisterService(staff_);
    backend_ = builder.BuildAndStart().release();
    ASSERT_NE(backend_, nullptr);

    const char* tmp = std::getenv("TEST_TMPDIR");
    fs::path root = fs::path(tmp ? tmp : "/tmp") / "gateway_auth_test";
    fs::create_directories(root);
    std::ofstream(root / "index.html") << "<!doctype html><h1>public</h1>";
    web_root_ = new std::string(root.string());

    GatewayOptions options = Options();
    options.login_limit = {600, 100};  // out of the way of these tests
    gateway_ = Start(options).release();
  }

  static void TearDownTestSuite() {
    delete gateway_;
    backend_->Shutdown(std::chrono::system_clock::now() +
                       std::chrono::seconds(1));
    delete backend_;
    delete patients_;
    delete staff_;
    delete web_root_;
  }

  static GatewayOptions Options() {
    GatewayOptions options;
    options.gateway_secret = kSecret;
    const std::string target = "127.0.0.1:" + std::to_string(backend_port_);
    options.backends["clinic.patients.v1.PatientService"] = target;
    options.backends["clinic.staff.v1.StaffService"] = target;
    options.web_root = *web_root_;
    return options;
  }

  static std::unique_ptr<GatewayServer> Start(const GatewayOptions& options) {
    auto server = GatewayServer::Start(options);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  static int port() { return gateway_->port(); }

  static HttpRequest Post(const std::string& target, const std::string& body,
                          const std::string& token = "") {
    HttpRequest request;
    request.method = "POST";
    request.target = target;
    request.headers = {{"Content-Type", "application/json"}};
    if (!token.empty()) {
      request.headers.push_back({"Cookie", std::string(kCookie) + "=" + token});
    }
    request.body = body;
    return request;
  }

  static HttpRequest Login(const std::string& email,
                           const std::string& password) {
    return Post("/auth/login", R"({"email":")" + email + R"(","password":")" +
                                   password + R"("})");
  }

  // Logs in as the front desk; returns the cookie's token.
  static std::string LoginToken(int gateway_port = 0) {
    HttpResponse res = Fetch(
        gateway_port ? gateway_port : port(),
        Login(FakeStaffService::kFrontDeskEmail, FakeStaffService::kPassword));
    EXPECT_EQ(res.status, 200) << res.body;
    const std::string set_cookie = res.Header("set-cookie");
    const std::string prefix = std::string(kCookie) + "=";
    if (!absl::StartsWith(set_cookie, prefix)) return "";
    return set_cookie.substr(prefix.size(),
                             set_cookie.find(';') - prefix.size());
  }

  static HttpResponse GetPatient(const std::string& token) {
    return Fetch(port(), Post(kGetPatient, R"({"name":"patients/1"})", token));
  }

  static void ExpectSecurityHeaders(const HttpResponse& res,
                                    const std::string& what) {
    EXPECT_EQ(res.Header("content-security-policy"), kCsp) << what;
    EXPECT_EQ(res.Header("x-content-type-options"), "nosniff") << what;
    EXPECT_EQ(res.Header("referrer-policy"), "same-origin") << what;
    EXPECT_EQ(res.Header("x-frame-options"), "DENY") << what;
    EXPECT_EQ(res.Header("cross-origin-opener-policy"), "same-origin") << what;
    EXPECT_EQ(res.Header("x-request-id").size(), 32u) << what;
  }

  static RecordingPatientService* patients_;
  static FakeStaffService* staff_;
  static grpc::Server* backend_;
  static int backend_port_;
  static std::string* web_root_;
  static GatewayServer* gateway_;
};

RecordingPatientService* GatewayAuthTest::patients_ = nullptr;
FakeStaffService* GatewayAuthTest::staff_ = nullptr;
grpc::Server* GatewayAuthTest::backend_ = nullptr;
int GatewayAuthTest::backend_port_ = 0;
std::string* GatewayAuthTest::web_root_ = nullptr;
GatewayServer* GatewayAuthTest::gateway_ = nullptr;

// --- login, me, logout -----------------------------------------------------

TEST_F(GatewayAuthTest, LoginSetsTheHostCookieAndReturnsTheMember) {
  HttpRequest login =
      Login(FakeStaffService::kFrontDeskEmail, FakeStaffService::kPassword);
  login.headers.push_back({"User-Agent", "TestBrowser/1.0 \xc3\xa9"});
  HttpResponse res = Fetch(port(), login);
  ASSERT_EQ(res.status, 200) << res.body;
  const std::string set_cookie = res.Header("set-cookie");
  std::cerr << "login response headers:\n";
  for (const auto& [name, value] : res.headers) {
    std::cerr << "  " << name << ": " << value << "\n";
  }
  std::cerr << "  body: " << res.body << "\n";

  const std::string token = set_cookie.substr(
      sizeof(kCookie), set_cookie.find(';') - sizeof(kCookie));
  EXPECT_EQ(set_cookie, std::string(kCookie) + "=" + token +
                            "; Path=/; HttpOnly; Secure; SameSite=Strict");
  EXPECT_THAT(set_cookie, Not(HasSubstr("Domain")));
  EXPECT_EQ(res.Header("content-type"), "application/json");
  EXPECT_EQ(res.Header("cache-control"), "no-store");
  EXPECT_THAT(res.body, HasSubstr(R"({"staffMember":{"name":"staff/desk-1")"));
  EXPECT_THAT(res.body, HasSubstr(R"("roles":["STAFF_ROLE_FRONT_DESK"])"));
  EXPECT_THAT(res.body, Not(HasSubstr(token)));
  EXPECT_THAT(res.body, Not(HasSubstr("Token")));
  ExpectSecurityHeaders(res, "login");

  // The gateway filled in where the login came from.
  clinic::staff::v1::LoginRequest seen = staff_->last_login();
  EXPECT_EQ(seen.client_address(), "127.0.0.1");
  EXPECT_EQ(seen.user_agent(), "TestBrowser/1.0 ??");

  // The cookie is a session: /auth/me knows who it is.
  HttpRequest me;
  me.target = "/auth/me";
  me.headers = {
      {"Cookie", "theme=dark; " + std::string(kCookie) + "=" + token}};
  res = Fetch(port(), me);
  EXPECT_EQ(res.status, 200) << res.body;
  EXPECT_THAT(res.body, HasSubstr(R"({"staffMember":{"name":"staff/desk-1")"));
  EXPECT_EQ(res.Header("cache-control"), "no-store");
}

TEST_F(GatewayAuthTest, WrongPasswordOrUnknownEmailIs401) {
  for (const auto& [email, password] :
       {std::pair<std::string, std::string>{FakeStaffService::kFrontDeskEmail,
                                            "wrong"},
        {"nobody@clinic.test", FakeStaffService::kPassword}}) {
    HttpResponse res = Fetch(port(), Login(email, password));
    EXPECT_EQ(res.status, 401) << email;
    EXPECT_EQ(
        res.body,
        R"({"code":"unauthenticated","message":"wrong email or password"})");
    EXPECT_EQ(res.Header("set-cookie"), "");
  }
}

TEST_F(GatewayAuthTest, LoginThrottledByTheServiceIs429WithRetryAfter) {
  HttpResponse res = Fetch(
      port(), Login(FakeStaffService::kThrottledEmail, "whatever at all"));
  EXPECT_EQ(res.status, 429) << res.body;
  EXPECT_EQ(res.Header("retry-after"), "900");
  EXPECT_THAT(res.body, HasSubstr(R"("code":"resource_exhausted")"));
  EXPECT_THAT(res.body, HasSubstr("try again in 15 minutes"));
}

TEST_F(GatewayAuthTest, LoginAttemptsAreRateLimitedPerAddress) {
  GatewayOptions options = Options();
  options.login_limit = {/*per_minute=*/1, /*burst=*/2};
  const absl::Time frozen = absl::FromUnixSeconds(1700000000);
  options.clock = [frozen] { return frozen; };
  std::unique_ptr<GatewayServer> limited = Start(options);
  ASSERT_NE(limited, nullptr);
  HttpRequest wrong = Login(FakeStaffService::kFrontDeskEmail, "wrong");
  EXPECT_EQ(Fetch(limited->port(), wrong).status, 401);
  EXPECT_EQ(Fetch(limited->port(), wrong).status, 401);
  HttpResponse res = Fetch(
      limited->port(),
      Login(FakeStaffService::kFrontDeskEmail, FakeStaffService::kPassword));
  EXPECT_EQ(res.status, 429) << res.body;
  EXPECT_EQ(res.Header("retry-after"), "60");
  EXPECT_EQ(res.Header("set-cookie"), "");
  EXPECT_THAT(res.body, HasSubstr(R"("code":"resource_exhausted")"));
  ExpectSecurityHeaders(res, "429");
}

TEST_F(GatewayAuthTest, LoginTakesOnlyEmailAndPasswordAsJson) {
  HttpResponse res = Fetch(
      port(),
      Post(
          "/auth/login",
          R"({"email":"desk@clinic.test","password":"x","clientAddress":"1.2.3.4"})"));
  EXPECT_EQ(res.status, 400) << res.body;
  HttpRequest form = Login(FakeStaffService::kFrontDeskEmail, "x");
  form.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  EXPECT_EQ(Fetch(port(), form).status, 415);
  HttpRequest get;
  get.target = "/auth/login";
  res = Fetch(port(), get);
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.Header("allow"), "POST");
  get.target = "/auth/nothing";
  EXPECT_EQ(Fetch(port(), get).status, 404);
}

TEST_F(GatewayAuthTest, MeWithoutOrWithAnUnknownCookieIs401) {
  HttpRequest me;
  me.target = "/auth/me";
  HttpResponse res = Fetch(port(), me);
  EXPECT_EQ(res.status, 401);
  EXPECT_THAT(res.body, HasSubstr(R"("code":"unauthenticated")"));
  me.headers = {{"Cookie", std::string(kCookie) + "=unknownToken0123456789"}};
  EXPECT_EQ(Fetch(port(), me).status, 401);
}

TEST_F(GatewayAuthTest, LogoutEndsTheSessionAtOnce) {
  const std::string token = LoginToken();
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(GetPatient(token).status, 200);

  HttpResponse res = Fetch(port(), Post("/auth/logout", "", token));
  EXPECT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Header("set-cookie"),
            "__Host-clinic_session=; Max-Age=0; Path=/; HttpOnly; Secure; "
            "SameSite=Strict");
  EXPECT_EQ(res.Header("cache-control"), "no-store");
  // The service was told who is logging out.
  server::Caller caller = staff_->last_logout_caller();
  EXPECT_EQ(caller.staff, "staff/desk-1");
  EXPECT_THAT(caller.session, HasSubstr("staff/desk-1/sessions/"));
  EXPECT_EQ(caller.request_id, res.Header("x-request-id"));

  // The same cookie is refused at once (no session cache).
  res = GetPatient(token);
  EXPECT_EQ(res.status, 401);
  EXPECT_THAT(res.body, HasSubstr(R"("code":"unauthenticated")"));
  // Logging out again, or without a cookie, is fine.
  EXPECT_EQ(Fetch(port(), Post("/auth/logout", "", token)).status, 200);
  res = Fetch(port(), Post("/auth/logout", ""));
  EXPECT_EQ(res.status, 200);
  EXPECT_THAT(res.Header("set-cookie"), HasSubstr("Max-Age=0"));
}

// --- the access option -----------------------------------------------------

TEST_F(GatewayAuthTest, SessionCacheSparesCallsAndBoundsRevocation) {
  std::atomic<int64_t> seconds{1'700'000'000};
  GatewayOptions options = Options();
  options.login_limit = {600, 100};
  options.session_cache_ttl = absl::Seconds(2);
  options.clock = [&seconds] { return absl::FromUnixSeconds(seconds.load()); };
  std::unique_ptr<GatewayServer> gateway = Start(options);
  ASSERT_NE(gateway, nullptr);
  auto get = [&](const std::string& token) {
    return Fetch(gateway->port(),
                 Post(kGetPatient, R"({"name":"patients/1"})", token));
  };

  // Three requests with one session: one ValidateSession call.
  const std::string token = LoginToken(gateway->port());
  const int before = staff_->validate_calls();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(get(token).status, 200);
  EXPECT_EQ(staff_->validate_calls() - before, 1);

  // Ended elsewhere (a deactivation, a revocation): accepted at most for the
  // TTL, refused after it.
  staff_->EndSession(token);
  EXPECT_EQ(get(token).status, 200);
  seconds += 2;
  EXPECT_EQ(get(token).status, 401);

  // Logout through this gateway: refused at once.
  const std::string second = LoginToken(gateway->port());
  EXPECT_EQ(get(second).status, 200);
  EXPECT_EQ(Fetch(gateway->port(), Post("/auth/logout", "{}", second)).status,
            200);
  EXPECT_EQ(get(second).status, 401);
}

TEST_F(GatewayAuthTest, StaffMethodWithoutASessionIs401) {
  const int before = patients_->calls();
  HttpResponse res = GetPatient("");
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(res.body,
            R"({"code":"unauthenticated","message":"sign in first"})");
  ExpectSecurityHeaders(res, "401");
  EXPECT_EQ(res.Header("cache-control"), "no-store");
  res = GetPatient("unknownToken0123456789");
  EXPECT_EQ(res.status, 401);
  res = GetPatient("not a token;");
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(patients_->calls(), before);
}

TEST_F(GatewayAuthTest, AllowedRoleIsForwardedWithTheCallersIdentity) {
  HttpRequest request = Post(kGetPatient, R"({"name":"patients/1"})",
                             FakeStaffService::kFrontDeskToken);
  request.headers.push_back({"X-Request-Id", "rid-auth-1"});
  HttpResponse res = Fetch(port(), request);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Header("cache-control"), "no-store");
  std::map<std::string, std::string> md = patients_->metadata();
  EXPECT_EQ(md[server::kGatewaySecretKey], kSecret);
  EXPECT_EQ(md[server::kStaffKey], "staff/desk-1");
  EXPECT_EQ(md[server::kRolesKey], "STAFF_ROLE_FRONT_DESK");
  EXPECT_EQ(md[server::kSessionKey], "staff/desk-1/sessions/s2");
  EXPECT_EQ(md[server::kRequestIdKey], "rid-auth-1");
  EXPECT_EQ(md[server::kClientAddressKey], "127.0.0.1");
  // The cookie itself never reaches a service.
  for (const auto& [key, value] : md) {
    EXPECT_THAT(value, Not(HasSubstr(FakeStaffService::kFrontDeskToken)))
        << key;
  }
}

TEST_F(GatewayAuthTest, RoleNotListedIs403) {
  // ArchivePatient: admin or front desk.
  HttpResponse res =
      Fetch(port(), Post(kArchivePatient, R"({"name":"patients/1"})",
                         FakeStaffService::kTherapistToken));
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_EQ(
      res.body,
      R"({"code":"permission_denied","message":"your roles do not allow this call"})");
  // ListPatientAuditEvents: admins only.
  res = Fetch(port(),
              Post("/clinic.patients.v1.PatientService/ListPatientAuditEvents",
                   "{}", FakeStaffService::kFrontDeskToken));
  EXPECT_EQ(res.status, 403) << res.body;
  // The therapist may read a patient.
  EXPECT_EQ(GetPatient(FakeStaffService::kTherapistToken).status, 200);
}

TEST_F(GatewayAuthTest, InternalOnlyMethodsAreNotThereForBrowsers) {
  for (const char* method : {"ValidateSession", "Login"}) {
    const std::string path =
        std::string("/clinic.staff.v1.StaffService/") + method;
    HttpResponse res = Fetch(port(), Post(path, R"({"sessionToken":"x"})",
                                          FakeStaffService::kAdminToken));
    EXPECT_EQ(res.status, 404) << method;
    EXPECT_EQ(res.body, R"({"code":"not_found","message":"unknown procedure )" +
                            path + R"("})");
  }
  // Same as a method that does not exist.
  HttpResponse missing =
      Fetch(port(), Post("/clinic.staff.v1.StaffService/Nope", "{}",
                         FakeStaffService::kAdminToken));
  EXPECT_EQ(missing.status, 404);
}

// --- cross-site requests ---------------------------------------------------

TEST_F(GatewayAuthTest, CrossSiteOriginIsRefusedEvenWithAValidCookie) {
  const int before = patients_->calls();
  HttpRequest request = Post(kGetPatient, R"({"name":"patients/1"})",
                             FakeStaffService::kFrontDeskToken);
  request.headers.push_back({"Origin", "http://evil.example"});
  HttpResponse res = Fetch(port(), request);
  EXPECT_EQ(res.status, 403) << res.body;
  EXPECT_THAT(res.body, HasSubstr(R"("code":"permission_denied")"));
  EXPECT_THAT(res.body, HasSubstr("cross-site"));
  ExpectSecurityHeaders(res, "cross-site");
  EXPECT_EQ(patients_->calls(), before);

  HttpRequest login =
      Login(FakeStaffService::kFrontDeskEmail, FakeStaffService::kPassword);
  login.headers.push_back({"Origin", "null"});
  EXPECT_EQ(Fetch(port(), login).status, 403);
  HttpRequest logout = Post("/auth/logout", "", FakeStaffService::kAdminToken);
  logout.headers.push_back({"Origin", "http://evil.example"});
  EXPECT_EQ(Fetch(port(), logout).status, 403);
  EXPECT_EQ(GetPatient(FakeStaffService::kAdminToken).status, 200);

  // Our own origin (the test client's Host is 127.0.0.1) is fine.
  request.headers.back().second = "http://127.0.0.1";
  EXPECT_EQ(Fetch(port(), request).status, 200);
}

TEST_F(GatewayAuthTest, SecFetchSiteCrossSiteIsRefused) {
  HttpRequest request = Post(kGetPatient, R"({"name":"patients/1"})",
                             FakeStaffService::kFrontDeskToken);
  request.headers.push_back({"Sec-Fetch-Site", "cross-site"});
  HttpResponse res = Fetch(port(), request);
  EXPECT_EQ(res.status, 403) << res.body;
  request.headers.back().second = "same-site";
  EXPECT_EQ(Fetch(port(), request).status, 403);
  request.headers.back().second = "same-origin";
  EXPECT_EQ(Fetch(port(), request).status, 200);
}

TEST_F(GatewayAuthTest, PublicOriginIsAccepted) {
  GatewayOptions options = Options();
  options.public_origin = "https://clinic.example";
  std::unique_ptr<GatewayServer> proxied = Start(options);
  ASSERT_NE(proxied, nullptr);
  HttpRequest request = Post(kGetPatient, R"({"name":"patients/1"})",
                             FakeStaffService::kFrontDeskToken);
  request.headers.push_back({"Origin", "https://clinic.example"});
  EXPECT_EQ(Fetch(proxied->port(), request).status, 200);
  request.headers.back().second = "http://clinic.example";
  EXPECT_EQ(Fetch(proxied->port(), request).status, 403);
}

// --- headers everywhere ----------------------------------------------------

TEST_F(GatewayAuthTest, SecurityHeadersOnFilesErrorsAndHealth) {
  HttpRequest get;
  get.target = "/";
  HttpResponse file = Fetch(port(), get);
  EXPECT_EQ(file.status, 200);
  ExpectSecurityHeaders(file, "static file");
  EXPECT_EQ(file.Header("cache-control"), "no-cache");  // the file's own

  get.target = "/healthz";
  HttpResponse health = Fetch(port(), get);
  EXPECT_EQ(health.status, 200);
  ExpectSecurityHeaders(health, "healthz");
  EXPECT_EQ(health.Header("cache-control"), "no-store");

  get.target = "/nope.txt";
  HttpResponse missing = Fetch(port(), get);
  EXPECT_EQ(missing.status, 404);
  ExpectSecurityHeaders(missing, "404 file");

  HttpResponse rpc_error =
      Fetch(port(), Post("/clinic.patients.v1.PatientService/GetPatient",
                         "{bad", FakeStaffService::kFrontDeskToken));
  EXPECT_EQ(rpc_error.status, 400);
  ExpectSecurityHeaders(rpc_error, "rpc error");
  EXPECT_EQ(rpc_error.Header("cache-control"), "no-store");

  std::cerr << "static file response headers:\n";
  for (const auto& [name, value] : file.headers) {
    std::cerr << "  " << name << ": " << value << "\n";
  }
}

// --- plain-HTTP deployments ------------------------------------------------

TEST_F(GatewayAuthTest, InsecureCookieModeUsesThePlainName) {
  GatewayOptions options = Options();
  options.cookie_secure = false;
  std::unique_ptr<GatewayServer> plain = Start(options);
  ASSERT_NE(plain, nullptr);
  HttpResponse res = Fetch(
      plain->port(),
      Login(FakeStaffService::kFrontDeskEmail, FakeStaffService::kPassword));
  ASSERT_EQ(res.status, 200) << res.body;
  const std::string set_cookie = res.Header("set-cookie");
  EXPECT_TRUE(absl::StartsWith(set_cookie, "clinic_session=")) << set_cookie;
  EXPECT_TRUE(absl::EndsWith(set_cookie, "; Path=/; HttpOnly; SameSite=Strict"))
      << set_cookie;
  EXPECT_THAT(set_cookie, Not(HasSubstr("Secure")));

  // Only the configured name is read.
  HttpRequest request = Post(kGetPatient, R"({"name":"patients/1"})",
                             FakeStaffService::kFrontDeskToken);
  EXPECT_EQ(Fetch(plain->port(), request).status, 401);
  request.headers.back().second =
      std::string("clinic_session=") + FakeStaffService::kFrontDeskToken;
  EXPECT_EQ(Fetch(plain->port(), request).status, 200);
}

// --- logs --------------------------------------------------------------------

TEST_F(GatewayAuthTest, LogsNameTheActorButNoSecrets) {
  ::testing::internal::CaptureStderr();
  const std::string token = LoginToken();
  HttpResponse res = GetPatient(FakeStaffService::kFrontDeskToken);
  HttpResponse anonymous = GetPatient("");
  absl::SleepFor(absl::Milliseconds(200));  // the log line follows the answer
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(res.status, 200);
  EXPECT_THAT(log, HasSubstr("actor=staff/desk-1"));
  EXPECT_THAT(log, HasSubstr("actor=anonymous"));
  EXPECT_THAT(log, HasSubstr("rid=" + res.Header("x-request-id")));
  EXPECT_THAT(log, Not(HasSubstr(token)));
  EXPECT_THAT(log, Not(HasSubstr(FakeStaffService::kFrontDeskToken)));
  EXPECT_THAT(log, Not(HasSubstr(FakeStaffService::kPassword)));
  EXPECT_THAT(log, Not(HasSubstr("patients/1")));
  EXPECT_THAT(log, Not(HasSubstr("clinic_session")));
}

}  // namespace
}  // namespace clinic::gateway
