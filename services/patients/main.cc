// The patients service: flags -> migrate -> open the store -> serve.
#include <cstdio>
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
#include "services/patients/pg_store.h"
#include "services/patients/service.h"

ABSL_FLAG(std::string, default_region, "US",
          "Region (ISO 3166) for phone numbers without a country code.");
ABSL_FLAG(std::string, gateway_secret_file, "",
          "File holding the secret the gateway sends (or set "
          "$CLINIC_GATEWAY_SECRET); calls without it are refused.");

namespace {

using namespace clinic;  // NOLINT: main only.

int Run() {
  server::SetLogName("patients");
  absl::StatusOr<std::string> secret =
      server::LoadGatewaySecret(absl::GetFlag(FLAGS_gateway_secret_file));
  if (!secret.ok()) {
    server::LogError(secret.status().message());
    return 2;
  }
  const server::CallerVerifier verifier(*secret);
  db::PoolOptions pool_options = server::PoolOptionsFromFlags("patients");
  if (pool_options.conninfo.empty()) {
    server::LogError("no database: set --database_url or DATABASE_URL");
    return 2;
  }
  // The database may still be starting: retry while it is unreachable.
  const absl::Status migrated = db::MigrateWhenReachable(
      [&] { return patients::MigratePatients(pool_options.conninfo); },
      absl::GetFlag(FLAGS_database_wait));
  if (!migrated.ok()) {
    server::LogError("migrations failed: ", migrated.ToString());
    return 1;
  }
  db::Pool pool(pool_options);
  patients::PgPatientStore store(&pool);
  patients::PatientServiceOptions options;
  options.default_region = absl::GetFlag(FLAGS_default_region);
  patients::PatientServiceImpl service(&store, &verifier, options);
  auto started = server::Server::Start(
      server::ServerOptionsFromFlags(),
      {{&service, patients::v1::PatientService::service_full_name()}});
  if (!started.ok()) {
    server::LogError(started.status().ToString());
    return 1;
  }
  server::LogInfo("patients listening on ", absl::GetFlag(FLAGS_address), ":",
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
