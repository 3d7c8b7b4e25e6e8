// What every service's main does around its own wiring: read the gateway
// secret and the database settings, apply the migrations (retrying while
// PostgreSQL starts), open the connection pool, serve, and drain on
// SIGINT/SIGTERM. A main is then wiring only:
//
//   int main(int argc, char** argv) {
//     clinic::server::BlockTerminationSignals();
//     absl::ParseCommandLine(argc, argv);
//     auto runtime = server::Runtime::Open("patients", MigratePatients);
//     if (!runtime.ok()) return server::ExitCode(runtime.status());
//     PgPatientStore store(&(*runtime)->pool());
//     PatientServiceImpl service(&store, &(*runtime)->verifier(), {});
//     return (*runtime)->Serve({{&service,
//     PatientService::service_full_name()}});
//   }
#ifndef CLINIC_SERVICES_COMMON_SERVER_RUNTIME_H_
#define CLINIC_SERVICES_COMMON_SERVER_RUNTIME_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/db/pool.h"
#include "services/common/server/caller.h"
#include "services/common/server/server.h"

namespace clinic::server {

class Runtime {
 public:
  // Applies a service's migrations to the database `conninfo` names.
  using Migrate = std::function<absl::Status(const std::string& conninfo)>;

  // Sets the log name, loads the gateway secret (--gateway_secret_file or
  // $CLINIC_GATEWAY_SECRET; not when `require_secret` is false, e.g. a
  // one-shot admin command), reads --database_url/$DATABASE_URL, migrates
  // (retrying up to --database_wait) and opens the pool. Logs and returns
  // the failure: FAILED_PRECONDITION for settings, others for the database.
  // An empty `migrate` is a service that owns no data: no database at all
  // (pool() must not be called).
  static absl::StatusOr<std::unique_ptr<Runtime>> Open(
      absl::string_view name, const Migrate& migrate,
      bool require_secret = true);

  db::Pool& pool() { return *pool_; }
  const CallerVerifier& verifier() const { return *verifier_; }
  // The gateway secret (empty when not required); for keys derived from it.
  const std::string& gateway_secret() const { return secret_; }
  const std::string& name() const { return name_; }

  // Serves `services` on --address:--port until SIGINT or SIGTERM, then
  // drains (--drain_timeout). Returns the process's exit code.
  int Serve(std::vector<ServiceEntry> services);

 private:
  Runtime() = default;
  std::string name_;
  std::optional<CallerVerifier> verifier_;
  std::string secret_;
  std::unique_ptr<db::Pool> pool_;
};

// The exit code for a failure of Open: 2 for settings (FAILED_PRECONDITION,
// INVALID_ARGUMENT), 1 otherwise.
int ExitCode(const absl::Status& status);

}  // namespace clinic::server

#endif  // CLINIC_SERVICES_COMMON_SERVER_RUNTIME_H_
