// The staff service: flags -> migrate -> open the store -> serve.
//
// Bootstrap mode (the first admin of a new installation):
//   staff --database_url=... --bootstrap_admin=<email>
//         [--bootstrap_given_name=Admin --bootstrap_family_name=User]
// prints "<email>\t<password>" on stdout and exits 0, or exits 3 if an active
// admin already exists.
#include <cstdio>
#include <iostream>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"
#include "services/common/server/caller.h"
#include "services/common/server/flags.h"
#include "services/common/server/log.h"
#include "services/common/server/server.h"
#include "services/staff/bootstrap.h"
#include "services/staff/passwords.h"
#include "services/staff/pg_store.h"
#include "services/staff/service.h"

ABSL_FLAG(std::string, gateway_secret_file, "",
          "File holding the secret the gateway sends (or set "
          "$CLINIC_GATEWAY_SECRET); calls without it are refused.");
ABSL_FLAG(absl::Duration, session_idle_timeout, absl::Minutes(30),
          "A session ends after this long without a request.");
ABSL_FLAG(absl::Duration, session_absolute_timeout, absl::Hours(12),
          "A session ends this long after login, whatever happens.");
ABSL_FLAG(int, argon2_ops, 2,
          "argon2id iterations (t) for new password hashes; older hashes are "
          "upgraded at login.");
ABSL_FLAG(int, argon2_mem_kib, 19456,
          "argon2id memory (m) in KiB for new password hashes.");
ABSL_FLAG(std::string, bootstrap_admin, "",
          "Create the first admin with this email and a generated password, "
          "print \"<email>\\t<password>\" and exit (3 if an active admin "
          "exists). Needs only --database_url.");
ABSL_FLAG(std::string, bootstrap_given_name, "Admin",
          "Given name of the --bootstrap_admin.");
ABSL_FLAG(std::string, bootstrap_family_name, "User",
          "Family name of the --bootstrap_admin.");

namespace {

using namespace clinic;  // NOLINT: main only.

// Applies the migrations, retrying while the database is unreachable.
absl::Status Migrate(const std::string& conninfo) {
  return db::MigrateWhenReachable([&] { return staff::MigrateStaff(conninfo); },
                                  absl::GetFlag(FLAGS_database_wait));
}

int Bootstrap(staff::StaffStore* store, const staff::Argon2Params& argon2) {
  staff::BootstrapRequest request;
  request.email = absl::GetFlag(FLAGS_bootstrap_admin);
  request.given_name = absl::GetFlag(FLAGS_bootstrap_given_name);
  request.family_name = absl::GetFlag(FLAGS_bootstrap_family_name);
  request.argon2 = argon2;
  absl::StatusOr<staff::BootstrapResult> result =
      staff::BootstrapAdmin(store, request);
  if (absl::IsFailedPrecondition(result.status())) {
    server::LogError(
        "an active admin already exists; nothing created (an admin can "
        "create more staff or reset a password)");
    return 3;
  }
  if (!result.ok()) {
    server::LogError("bootstrap failed: ", result.status().ToString());
    return 1;
  }
  server::LogInfo("created the first admin ", result->member.name());
  std::cout << result->member.email() << '\t' << result->password << std::endl;
  return 0;
}

int Run() {
  server::SetLogName("staff");
  const bool bootstrap = !absl::GetFlag(FLAGS_bootstrap_admin).empty();
  const staff::Argon2Params argon2{
      static_cast<uint64_t>(std::max(0, absl::GetFlag(FLAGS_argon2_ops))),
      static_cast<uint64_t>(std::max(0, absl::GetFlag(FLAGS_argon2_mem_kib)))};
  if (argon2.ops < 2 || argon2.mem_kib < 19456) {
    server::LogError(
        "--argon2_ops must be at least 2 and --argon2_mem_kib at least 19456 "
        "(OWASP's minimum for argon2id)");
    return 2;
  }
  if (absl::StatusOr<std::string> probe = staff::HashPassword("probe", argon2);
      !probe.ok()) {
    server::LogError(probe.status().ToString());
    return 2;
  }
  if (absl::GetFlag(FLAGS_session_idle_timeout) <= absl::ZeroDuration() ||
      absl::GetFlag(FLAGS_session_absolute_timeout) <= absl::ZeroDuration()) {
    server::LogError("session timeouts must be positive");
    return 2;
  }
  std::string secret;
  if (!bootstrap) {
    absl::StatusOr<std::string> loaded =
        server::LoadGatewaySecret(absl::GetFlag(FLAGS_gateway_secret_file));
    if (!loaded.ok()) {
      server::LogError(loaded.status().message());
      return 2;
    }
    secret = *std::move(loaded);
  }
  db::PoolOptions pool_options = server::PoolOptionsFromFlags("staff");
  if (pool_options.conninfo.empty()) {
    server::LogError("no database: set --database_url or DATABASE_URL");
    return 2;
  }
  if (absl::Status migrated = Migrate(pool_options.conninfo); !migrated.ok()) {
    server::LogError("migrations failed: ", migrated.ToString());
    return 1;
  }
  db::Pool pool(pool_options);
  staff::PgStaffStore store(&pool);
  if (bootstrap) return Bootstrap(&store, argon2);

  const server::CallerVerifier verifier(secret);
  staff::StaffServiceOptions options;
  options.session_idle_timeout = absl::GetFlag(FLAGS_session_idle_timeout);
  options.session_absolute_timeout =
      absl::GetFlag(FLAGS_session_absolute_timeout);
  options.argon2 = argon2;
  staff::StaffServiceImpl service(&store, &verifier, options);
  auto started = server::Server::Start(
      server::ServerOptionsFromFlags(),
      {{&service, staff::v1::StaffService::service_full_name()}});
  if (!started.ok()) {
    server::LogError(started.status().ToString());
    return 1;
  }
  server::LogInfo("staff listening on ", absl::GetFlag(FLAGS_address), ":",
                  (*started)->port());
  const int sig = server::WaitForTerminationSignal();
  server::LogInfo("signal ", sig, ": draining");
  (*started)->Shutdown();
  server::LogInfo("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  clinic::server::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  return Run();
}
