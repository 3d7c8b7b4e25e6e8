// How long one Login takes, end to end over gRPC with PostgreSQL, with the
// default argon2id parameters (m=19456 KiB, t=2, p=1):
//   bazel run -c opt //services/staff:login_bench [-- --logins=7]
// Prints the median and the range, and the median of a bare VerifyPassword.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/server/caller.h"
#include "services/common/server/client.h"
#include "services/common/server/server.h"
#include "services/common/testing/postgres.h"
#include "services/staff/pg_store.h"
#include "services/staff/service.h"

ABSL_FLAG(int, logins, 7, "Logins to time.");

namespace {

using namespace clinic;  // NOLINT: a benchmark's main.

absl::Duration Median(std::vector<absl::Duration> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Run() {
  const int n = std::max(1, absl::GetFlag(FLAGS_logins));
  const std::string conninfo = testing::NewTestDatabase();
  if (absl::Status s = staff::MigrateStaff(conninfo); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  db::PoolOptions o;
  o.conninfo = conninfo;
  db::Pool pool(o);
  staff::PgStaffStore store(&pool);
  const std::string password = "bench walnut ledger tide";
  staff::v1::StaffMember m;
  m.set_given_name("Bench");
  m.set_family_name("Mark");
  m.set_email("bench@clinic.test");
  m.add_roles(api::v1::STAFF_ROLE_THERAPIST);
  absl::StatusOr<std::string> hash =
      staff::HashPassword(password, staff::Argon2Params{});
  if (!hash.ok() || !store.Create(m, *hash, staff::RequestKey{}).ok()) {
    std::fprintf(stderr, "cannot seed the member\n");
    return 1;
  }
  server::CallerVerifier verifier("bench-secret");
  staff::StaffServiceImpl service(&store, &verifier,
                                  staff::StaffServiceOptions{});
  auto started = server::Server::Start(
      server::ServerOptions{},
      {{&service, staff::v1::StaffService::service_full_name()}});
  if (!started.ok()) return 1;
  auto stub = staff::v1::StaffService::NewStub(
      server::NewChannel(absl::StrCat("127.0.0.1:", (*started)->port())));
  std::vector<absl::Duration> logins;
  for (int i = 0; i <= n; ++i) {  // the first one warms up
    staff::v1::LoginRequest req;
    req.set_email("bench@clinic.test");
    req.set_password(password);
    req.set_client_address("127.0.0.1");
    staff::v1::LoginResponse resp;
    auto ctx = server::NewCallContext(absl::Seconds(10));
    verifier.Forward(server::Caller(), *ctx);
    const absl::Time start = absl::Now();
    grpc::Status s = stub->Login(ctx.get(), req, &resp);
    const absl::Duration took = absl::Now() - start;
    if (!s.ok()) {
      std::fprintf(stderr, "login failed: %s\n", s.error_message().c_str());
      return 1;
    }
    if (i > 0) logins.push_back(took);
  }
  std::vector<absl::Duration> verifies;
  for (int i = 0; i < n; ++i) {
    const absl::Time start = absl::Now();
    staff::VerifyPassword(*hash, password);
    verifies.push_back(absl::Now() - start);
  }
  std::sort(logins.begin(), logins.end());
  std::printf(
      "Login (argon2id m=19456 KiB, t=2, p=1), %d logins: median %s "
      "(min %s, max %s); bare VerifyPassword median %s\n",
      n, absl::FormatDuration(Median(logins)).c_str(),
      absl::FormatDuration(logins.front()).c_str(),
      absl::FormatDuration(logins.back()).c_str(),
      absl::FormatDuration(Median(verifies)).c_str());
  (*started)->Shutdown();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return Run();
}
