// The gateway over real HTTP, in front of a real gRPC server (an in-test
// PatientService with canned answers: this tests the protocol bridge, not the
// patients service). Calls carry a front-desk session of the fake
// StaffService; gateway_auth_test.cc tests sessions and access themselves.
#include "services/gateway/gateway_server.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "clinic/patients/v1/patients_service.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "services/gateway/fake_staff_service.h"
#include "services/gateway/test_http_client.h"

namespace clinic::gateway {
namespace {

namespace fs = std::filesystem;
using ::clinic::gateway::testing::FakeStaffService;
using ::clinic::gateway::testing::Fetch;
using ::clinic::gateway::testing::HttpConnection;
using ::clinic::gateway::testing::HttpRequest;
using ::clinic::gateway::testing::HttpResponse;
using ::clinic::patients::v1::CreatePatientRequest;
using ::clinic::patients::v1::GetPatientRequest;
using ::clinic::patients::v1::ListPatientsRequest;
using ::clinic::patients::v1::ListPatientsResponse;
using ::clinic::patients::v1::Patient;
using ::clinic::patients::v1::PatientService;
using ::clinic::patients::v1::UpdatePatientRequest;
using ::testing::HasSubstr;

constexpr char kService[] = "clinic.patients.v1.PatientService";
constexpr char kStaffService[] = "clinic.staff.v1.StaffService";
constexpr char kSecret[] = "gateway-server-test-secret";
constexpr char kGetPatient[] = "/clinic.patients.v1.PatientService/GetPatient";

// Canned behaviour: GetPatient knows "patients/1"; CreatePatient echoes;
// ListPatients sleeps until cancelled (for deadlines); UpdatePatient aborts.
class FakePatientService final : public PatientService::Service {
 public:
  grpc::Status GetPatient(grpc::ServerContext* context,
                          const GetPatientRequest* request,
                          Patient* response) override {
    RecordRequestId(*context);
    if (request->name() != "patients/1") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "patient " + request->name() + " not found");
    }
    response->set_name("patients/1");
    response->set_given_name("Ada");
    response->set_family_name("Lovelace");
    return grpc::Status::OK;
  }

  grpc::Status CreatePatient(grpc::ServerContext* context,
                             const CreatePatientRequest* request,
                             Patient* response) override {
    *response = request->patient();
    response->set_name("patients/new");
    return grpc::Status::OK;
  }

  grpc::Status ListPatients(grpc::ServerContext* context,
                            const ListPatientsRequest* request,
                            ListPatientsResponse* response) override {
    // Sleep well past the caller's deadline, so the deadline always fires
    // first (stopping exactly at it raced the OK reply), but never long:
    // teardown waits.
    const auto give_up =
        std::min(context->deadline() + std::chrono::seconds(1),
                 std::chrono::system_clock::now() + std::chrono::seconds(3));
    while (!context->IsCancelled() &&
           std::chrono::system_clock::now() < give_up) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    return grpc::Status::OK;
  }

  grpc::Status UpdatePatient(grpc::ServerContext* context,
                             const UpdatePatientRequest* request,
                             Patient* response) override {
    return grpc::Status(grpc::StatusCode::ABORTED, "stale etag");
  }

  std::string last_request_id() {
    absl::MutexLock lock(&mu_);
    return last_request_id_;
  }

 private:
  void RecordRequestId(const grpc::ServerContext& context) {
    auto it = context.client_metadata().find("x-request-id");
    absl::MutexLock lock(&mu_);
    last_request_id_ = it == context.client_metadata().end()
                           ? ""
                           : std::string(it->second.data(), it->second.size());
  }

  absl::Mutex mu_;
  std::string last_request_id_ ABSL_GUARDED_BY(mu_);
};

void WriteFile(const fs::path& path, const std::string& data) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << data;
}

class GatewayServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    service_ = new FakePatientService;
    staff_ = new FakeStaffService(kSecret);
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &backend_port_);
    builder.RegisterService(service_);
    builder.RegisterService(staff_);
    backend_ = builder.BuildAndStart().release();
    ASSERT_NE(backend_, nullptr);
    backend_->GetHealthCheckService()->SetServingStatus(kService, true);
    backend_->GetHealthCheckService()->SetServingStatus(kStaffService, true);

    const char* tmp = std::getenv("TEST_TMPDIR");
    fs::path base = fs::path(tmp ? tmp : "/tmp") / "gateway_server_test";
    web_root_ = new std::string((base / "dist").string());
    WriteFile(base / "dist" / "index.html", "<!doctype html><h1>public</h1>");
    WriteFile(base / "dist" / "staff" / "index.html",
              "<!doctype html><h1>staff</h1>");
    WriteFile(base / "dist" / "assets" / "app-3f2a1b.js", "console.log(1);");
    WriteFile(base / "dist" / "assets" / "app-3f2a1b.css", "h1{}");
    WriteFile(base / "secret.txt", "do not serve");

    GatewayOptions options = Options();
    options.backends[kService] = "127.0.0.1:" + std::to_string(backend_port_);
    options.web_root = *web_root_;
    gateway_ = Start(options);
  }

  // A secret and the staff backend, nothing else.
  static GatewayOptions Options() {
    GatewayOptions options;
    options.gateway_secret = kSecret;
    options.backends[kStaffService] =
        "127.0.0.1:" + std::to_string(backend_port_);
    return options;
  }

  static void TearDownTestSuite() {
    delete gateway_;
    backend_->Shutdown(std::chrono::system_clock::now() +
                       std::chrono::seconds(1));
    delete backend_;
    delete service_;
    delete staff_;
    delete web_root_;
  }

  static GatewayServer* Start(const GatewayOptions& options) {
    auto server = GatewayServer::Start(options);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? server->release() : nullptr;
  }

  static HttpRequest Rpc(const std::string& path, const std::string& body,
                         const std::string& content_type = "application/json") {
    HttpRequest request;
    request.method = "POST";
    request.target = path;
    request.headers = {{"Content-Type", content_type},
                       {"Cookie", std::string("__Host-clinic_session=") +
                                      FakeStaffService::kFrontDeskToken}};
    request.body = body;
    return request;
  }

  static int port() { return gateway_->port(); }

  static FakePatientService* service_;
  static FakeStaffService* staff_;
  static grpc::Server* backend_;
  static int backend_port_;
  static std::string* web_root_;
  static GatewayServer* gateway_;
};

FakePatientService* GatewayServerTest::service_ = nullptr;
FakeStaffService* GatewayServerTest::staff_ = nullptr;
grpc::Server* GatewayServerTest::backend_ = nullptr;
int GatewayServerTest::backend_port_ = 0;
std::string* GatewayServerTest::web_root_ = nullptr;
GatewayServer* GatewayServerTest::gateway_ = nullptr;

// --- the bridge ----------------------------------------------------------

TEST_F(GatewayServerTest, JsonCallSucceeds) {
  HttpResponse res =
      Fetch(port(), Rpc(kGetPatient, R"({"name":"patients/1"})"));
  EXPECT_EQ(res.status, 200) << res.error << res.body;
  EXPECT_EQ(res.Header("content-type"), "application/json");
  EXPECT_EQ(
      res.body,
      R"({"name":"patients/1","givenName":"Ada","familyName":"Lovelace"})");
  EXPECT_EQ(res.Header("x-request-id").size(), 32u);
}

TEST_F(GatewayServerTest, JsonWithCharsetAndNestedMessages) {
  HttpResponse res = Fetch(
      port(),
      Rpc("/clinic.patients.v1.PatientService/CreatePatient",
          R"({"patient":{"givenName":"Grace","birthDate":{"year":1906,"month":12,"day":9}},"requestId":"r-1"})",
          "application/json; charset=utf-8"));
  EXPECT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(
      res.body,
      R"({"name":"patients/new","givenName":"Grace","birthDate":{"year":1906,"month":12,"day":9}})");
}

TEST_F(GatewayServerTest, RequestIdIsForwardedAndReturned) {
  HttpRequest request = Rpc(kGetPatient, R"({"name":"patients/1"})");
  request.headers.push_back({"X-Request-Id", "trace-42.a"});
  HttpResponse res = Fetch(port(), request);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.Header("x-request-id"), "trace-42.a");
  EXPECT_EQ(service_->last_request_id(), "trace-42.a");

  request.headers.back().second = "bad id <script>";
  res = Fetch(port(), request);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.Header("x-request-id").size(), 32u);
  EXPECT_EQ(service_->last_request_id(), res.Header("x-request-id"));
}

TEST_F(GatewayServerTest, BinaryCallSucceeds) {
  GetPatientRequest request;
  request.set_name("patients/1");
  HttpResponse res = Fetch(port(), Rpc(kGetPatient, request.SerializeAsString(),
                                       "application/proto"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Header("content-type"), "application/proto");
  Patient patient;
  ASSERT_TRUE(patient.ParseFromString(res.body));
  EXPECT_EQ(patient.given_name(), "Ada");

  res = Fetch(port(), Rpc(kGetPatient, "\xff\xff\xff", "application/proto"));
  EXPECT_EQ(res.status, 400);
  EXPECT_THAT(res.body, HasSubstr(R"("code":"invalid_argument")"));
}

TEST_F(GatewayServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  HttpConnection connection(port());
  HttpResponse first =
      connection.Send(Rpc(kGetPatient, R"({"name":"patients/1"})"));
  EXPECT_EQ(first.status, 200) << first.error;
  EXPECT_TRUE(first.keep_alive);
  HttpResponse second =
      connection.Send(Rpc(kGetPatient, R"({"name":"patients/2"})"));
  EXPECT_EQ(second.status, 404) << second.error;
  HttpRequest health;
  health.target = "/healthz";
  EXPECT_EQ(connection.Send(health).status, 200);
}

TEST_F(GatewayServerTest, BackendErrorsBecomeConnectErrors) {
  HttpResponse res =
      Fetch(port(), Rpc(kGetPatient, R"({"name":"patients/2"})"));
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.Header("content-type"), "application/json");
  EXPECT_EQ(res.body,
            R"({"code":"not_found","message":"patient patients/2 not found"})");

  res = Fetch(port(),
              Rpc("/clinic.patients.v1.PatientService/UpdatePatient", "{}"));
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(res.body, R"({"code":"aborted","message":"stale etag"})");
}

TEST_F(GatewayServerTest, UnknownServiceOrMethodIs404) {
  HttpResponse res =
      Fetch(port(), Rpc("/clinic.patients.v1.PatientService/EatPatient", "{}"));
  EXPECT_EQ(res.status, 404);
  EXPECT_THAT(res.body, HasSubstr(R"("code":"not_found")"));
  EXPECT_THAT(res.body, HasSubstr("EatPatient"));
  res = Fetch(port(), Rpc("/clinic.nothing.v1.NoService/Get", "{}"));
  EXPECT_EQ(res.status, 404);
}

TEST_F(GatewayServerTest, WrongContentTypeIs415) {
  HttpResponse res = Fetch(port(), Rpc(kGetPatient, "{}", "text/plain"));
  EXPECT_EQ(res.status, 415);
  EXPECT_EQ(res.Header("content-type"), "application/json");
  EXPECT_THAT(res.body, HasSubstr(R"("code":)"));

  HttpRequest no_type = Rpc(kGetPatient, "{}");
  no_type.headers.erase(no_type.headers.begin());  // Content-Type
  EXPECT_EQ(Fetch(port(), no_type).status, 415);
}

TEST_F(GatewayServerTest, GetOnAnRpcPathIs405) {
  HttpRequest request;
  request.target = kGetPatient;
  HttpResponse res = Fetch(port(), request);
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.Header("allow"), "POST");
  EXPECT_THAT(res.body, HasSubstr(R"("code":"unimplemented")"));
}

TEST_F(GatewayServerTest, MalformedJsonAndUnknownFieldsAre400) {
  HttpResponse res = Fetch(port(), Rpc(kGetPatient, R"({"name":)"));
  EXPECT_EQ(res.status, 400);
  EXPECT_THAT(res.body, HasSubstr(R"("code":"invalid_argument")"));

  res = Fetch(port(), Rpc(kGetPatient, R"({"name":"patients/1","nmae":"x"})"));
  EXPECT_EQ(res.status, 400);
  EXPECT_THAT(res.body, HasSubstr(R"("code":"invalid_argument")"));
  EXPECT_THAT(res.body, HasSubstr("nmae"));
}

TEST_F(GatewayServerTest, DeepNestingIsRefusedQuicklyAndTheServerLives) {
  HttpConnection connection(port());
  const absl::Time start = absl::Now();
  HttpResponse res =
      connection.Send(Rpc(kGetPatient, std::string(1000000, '[')));
  EXPECT_EQ(res.status, 400) << res.error;
  EXPECT_THAT(res.body, HasSubstr("nested"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  // Same connection, then a new one: still serving.
  EXPECT_EQ(
      connection.Send(Rpc(kGetPatient, R"({"name":"patients/1"})")).status,
      200);
  EXPECT_EQ(Fetch(port(), Rpc(kGetPatient, R"({"name":"patients/1"})")).status,
            200);
}

TEST_F(GatewayServerTest, OversizedBodiesAre413) {
  // Declared up front: refused before the body is sent.
  HttpConnection declared(port());
  HttpResponse res = declared.SendRaw(
      "POST /clinic.patients.v1.PatientService/GetPatient HTTP/1.1\r\n"
      "Host: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 2000000\r\n\r\n");
  EXPECT_EQ(res.status, 413) << res.error;
  EXPECT_THAT(res.body, HasSubstr(R"("code":"resource_exhausted")"));
  EXPECT_FALSE(res.keep_alive);

  // Chunked: the parser's body limit catches it.
  HttpConnection chunked(port());
  res = chunked.SendRaw(
      "POST /clinic.patients.v1.PatientService/GetPatient HTTP/1.1\r\n"
      "Host: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n"
      "200000\r\n");
  EXPECT_EQ(res.status, 413) << res.error;

  // The server still serves.
  EXPECT_EQ(Fetch(port(), Rpc(kGetPatient, R"({"name":"patients/1"})")).status,
            200);
}

TEST_F(GatewayServerTest, ConnectTimeoutBecomesTheDeadline) {
  HttpRequest request =
      Rpc("/clinic.patients.v1.PatientService/ListPatients", "{}");
  request.headers.push_back({"Connect-Timeout-Ms", "200"});
  const absl::Time start = absl::Now();
  HttpResponse res = Fetch(port(), request);
  EXPECT_EQ(res.status, 504) << res.body;
  EXPECT_THAT(res.body, HasSubstr(R"("code":"deadline_exceeded")"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));

  request.headers.back().second = "soon";
  res = Fetch(port(), request);
  EXPECT_EQ(res.status, 400);
  EXPECT_THAT(res.body, HasSubstr("Connect-Timeout-Ms"));
}

// --- health --------------------------------------------------------------

TEST_F(GatewayServerTest, Healthz) {
  HttpRequest request;
  request.target = "/healthz";
  HttpResponse res = Fetch(port(), request);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "ok\n");
}

TEST_F(GatewayServerTest, ReadyzFollowsTheBackendsHealth) {
  HttpRequest request;
  request.target = "/readyz";
  HttpResponse res = Fetch(port(), request);
  EXPECT_EQ(res.status, 200) << res.body;
  EXPECT_THAT(res.body, HasSubstr("SERVING"));

  backend_->GetHealthCheckService()->SetServingStatus(kService, false);
  res = Fetch(port(), request);
  EXPECT_EQ(res.status, 503) << res.body;
  EXPECT_THAT(res.body, HasSubstr(kService));
  backend_->GetHealthCheckService()->SetServingStatus(kService, true);
  EXPECT_EQ(Fetch(port(), request).status, 200);
}

TEST_F(GatewayServerTest, DownBackendMakesReadyzAndCallsUnavailable) {
  GatewayOptions options = Options();
  options.backends[kService] = "127.0.0.1:1";  // nothing listens there
  std::unique_ptr<GatewayServer> down(Start(options));
  ASSERT_NE(down, nullptr);
  HttpRequest ready;
  ready.target = "/readyz";
  HttpResponse res = Fetch(down->port(), ready);
  EXPECT_EQ(res.status, 503);
  EXPECT_THAT(res.body, HasSubstr("127.0.0.1:1"));

  res = Fetch(down->port(), Rpc(kGetPatient, R"({"name":"patients/1"})"));
  EXPECT_EQ(res.status, 503) << res.body;
  EXPECT_THAT(res.body, HasSubstr(R"("code":"unavailable")"));
  // No transport details for the client; the request id to quote instead.
  EXPECT_THAT(res.body, ::testing::Not(HasSubstr("127.0.0.1")));
  EXPECT_THAT(res.body, HasSubstr(res.Header("x-request-id")));
}

TEST_F(GatewayServerTest, ServiceWithoutBackendIs503) {
  std::unique_ptr<GatewayServer> none(Start(Options()));
  ASSERT_NE(none, nullptr);
  HttpResponse res =
      Fetch(none->port(), Rpc(kGetPatient, R"({"name":"patients/1"})"));
  EXPECT_EQ(res.status, 503);
  EXPECT_THAT(res.body, HasSubstr("service unavailable"));
  HttpRequest ready;
  ready.target = "/readyz";
  EXPECT_EQ(Fetch(none->port(), ready).status, 200);  // the staff backend
}

TEST_F(GatewayServerTest, WithoutAStaffBackendNothingIsReady) {
  GatewayOptions options;
  options.gateway_secret = kSecret;
  options.backends[kService] = "127.0.0.1:" + std::to_string(backend_port_);
  std::unique_ptr<GatewayServer> lonely(Start(options));
  ASSERT_NE(lonely, nullptr);
  HttpRequest ready;
  ready.target = "/readyz";
  HttpResponse res = Fetch(lonely->port(), ready);
  EXPECT_EQ(res.status, 503);
  EXPECT_THAT(res.body, HasSubstr("clinic.staff.v1.StaffService: no backend"));
  res = Fetch(lonely->port(), Rpc(kGetPatient, R"({"name":"patients/1"})"));
  EXPECT_EQ(res.status, 503) << res.body;
}

TEST_F(GatewayServerTest, RefusesToStartWithoutASecretOrWithABadOrigin) {
  GatewayOptions options = Options();
  options.gateway_secret.clear();
  auto server = GatewayServer::Start(options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
  options = Options();
  options.public_origin = "clinic.example/app";
  EXPECT_EQ(GatewayServer::Start(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// --- access --------------------------------------------------------------

TEST_F(GatewayServerTest, RemoteClientsWithASessionAreServed) {
  // The old "staff methods only from loopback" rule is gone: the session
  // decides.
  GatewayOptions options = Options();
  options.backends[kService] = "127.0.0.1:" + std::to_string(backend_port_);
  options.client_address_override = "203.0.113.7";
  std::unique_ptr<GatewayServer> remote(Start(options));
  ASSERT_NE(remote, nullptr);
  HttpResponse res =
      Fetch(remote->port(), Rpc(kGetPatient, R"({"name":"patients/1"})"));
  EXPECT_EQ(res.status, 200) << res.body;
  HttpRequest no_cookie = Rpc(kGetPatient, R"({"name":"patients/1"})");
  no_cookie.headers.pop_back();
  res = Fetch(remote->port(), no_cookie);
  EXPECT_EQ(res.status, 401);
  EXPECT_THAT(res.body, HasSubstr(R"("code":"unauthenticated")"));
  HttpRequest health;
  health.target = "/healthz";
  EXPECT_EQ(Fetch(remote->port(), health).status, 200);
}

// --- static files --------------------------------------------------------

HttpResponse Get(int port, const std::string& target,
                 const std::string& method = "GET") {
  HttpRequest request;
  request.method = method;
  request.target = target;
  return Fetch(port, request);
}

TEST_F(GatewayServerTest, ServesThePublicSiteAndTheStaffApp) {
  HttpResponse res = Get(port(), "/");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "<!doctype html><h1>public</h1>");
  EXPECT_EQ(res.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(res.Header("cache-control"), "no-cache");

  for (const char* route : {"/staff", "/staff/", "/staff/patients/7?tab=1"}) {
    res = Get(port(), route);
    EXPECT_EQ(res.status, 200) << route;
    EXPECT_EQ(res.body, "<!doctype html><h1>staff</h1>") << route;
  }
}

TEST_F(GatewayServerTest, AssetsAreImmutable) {
  HttpResponse res = Get(port(), "/assets/app-3f2a1b.js");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "console.log(1);");
  EXPECT_EQ(res.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(res.Header("cache-control"), "public, max-age=31536000, immutable");
  res = Get(port(), "/assets/app-3f2a1b.css");
  EXPECT_EQ(res.Header("content-type"), "text/css; charset=utf-8");

  res = Get(port(), "/assets/app-3f2a1b.js", "HEAD");
  EXPECT_EQ(res.status, 200) << res.error;
  EXPECT_EQ(res.Header("content-length"), "15");
  EXPECT_EQ(res.body, "");
}

TEST_F(GatewayServerTest, MissingFilesTraversalAndOtherMethods) {
  EXPECT_EQ(Get(port(), "/assets/nope.js").status, 404);
  EXPECT_EQ(Get(port(), "/assets").status, 404);  // a directory
  for (const char* bad : {"/../secret.txt", "/%2e%2e/secret.txt",
                          "/assets/..%2f..%2fsecret.txt", "/a%00b"}) {
    HttpResponse res = Get(port(), bad);
    EXPECT_EQ(res.status, 400) << bad;
    EXPECT_THAT(res.body, ::testing::Not(HasSubstr("do not serve"))) << bad;
  }
  HttpResponse res = Get(port(), "/index.html", "DELETE");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.Header("allow"), "GET, HEAD");
}

}  // namespace
}  // namespace clinic::gateway
