// The staff service: wiring only (see services/common/server/runtime.h).
//
// Bootstrap mode (the first admin of a new installation):
//   staff --database_url=... --bootstrap_admin=<email>
//         [--bootstrap_given_name=Admin --bootstrap_family_name=User]
// prints "<email>\t<password>" on stdout and exits 0, or exits 3 if an active
// admin already exists.
#include <algorithm>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/common/server/log.h"
#include "services/common/server/runtime.h"
#include "services/staff/bootstrap.h"
#include "services/staff/passwords.h"
#include "services/staff/pg_store.h"
#include "services/staff/service.h"

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
  auto runtime =
      server::Runtime::Open("staff", staff::MigrateStaff, !bootstrap);
  if (!runtime.ok()) return server::ExitCode(runtime.status());
  staff::PgStaffStore store(&(*runtime)->pool());
  if (bootstrap) return Bootstrap(&store, argon2);

  staff::StaffServiceOptions options;
  options.session_idle_timeout = absl::GetFlag(FLAGS_session_idle_timeout);
  options.session_absolute_timeout =
      absl::GetFlag(FLAGS_session_absolute_timeout);
  options.argon2 = argon2;
  staff::StaffServiceImpl service(&store, &(*runtime)->verifier(), options);
  return (*runtime)->Serve(
      {{&service, staff::v1::StaffService::service_full_name()}});
}

}  // namespace

int main(int argc, char** argv) {
  clinic::server::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  return Run();
}
