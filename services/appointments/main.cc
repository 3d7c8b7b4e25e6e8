// The appointments service: flags -> migrate -> open the store -> serve the
// four scheduling services (locations, appointment types, schedules,
// appointments) from one process.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/clock.h"
#include "services/appointments/appointment_service.h"
#include "services/appointments/catalog_service.h"
#include "services/appointments/pg_store.h"
#include "services/appointments/staff_directory.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"
#include "services/common/server/caller.h"
#include "services/common/server/client.h"
#include "services/common/server/flags.h"
#include "services/common/server/log.h"
#include "services/common/server/server.h"

ABSL_FLAG(std::string, staff_backend, "",
          "gRPC target of clinic.staff.v1.StaffService (host:port), to check "
          "that a schedule's therapist is an active therapist and record "
          "their credentials.");
ABSL_FLAG(std::string, gateway_secret_file, "",
          "File holding the secret the gateway sends (or set "
          "$CLINIC_GATEWAY_SECRET); calls without it are refused.");
ABSL_FLAG(absl::Duration, hold_ttl, absl::Minutes(5),
          "How long HoldSlot keeps a slot before it lapses by itself.");

namespace {

using namespace clinic;  // NOLINT: main only.

int Run() {
  server::SetLogName("appointments");
  absl::StatusOr<std::string> secret =
      server::LoadGatewaySecret(absl::GetFlag(FLAGS_gateway_secret_file));
  if (!secret.ok()) {
    server::LogError(secret.status().message());
    return 2;
  }
  const absl::Duration hold_ttl = absl::GetFlag(FLAGS_hold_ttl);
  if (hold_ttl <= absl::ZeroDuration() || hold_ttl > absl::Hours(24)) {
    server::LogError("--hold_ttl must be more than 0 and at most 24h");
    return 2;
  }
  const server::CallerVerifier verifier(*secret);
  db::PoolOptions pool_options = server::PoolOptionsFromFlags("appointments");
  if (pool_options.conninfo.empty()) {
    server::LogError("no database: set --database_url or DATABASE_URL");
    return 2;
  }
  // The database may still be starting: retry while it is unreachable.
  const absl::Status migrated = db::MigrateWhenReachable(
      [&] { return appointments::MigrateAppointments(pool_options.conninfo); },
      absl::GetFlag(FLAGS_database_wait));
  if (!migrated.ok()) {
    server::LogError("migrations failed: ", migrated.ToString());
    return 1;
  }
  db::Pool pool(pool_options);
  appointments::PgSchedulingStore store(&pool);
  appointments::SchedulingOptions options;
  options.hold_ttl = hold_ttl;
  std::unique_ptr<appointments::GrpcStaffDirectory> staff_directory;
  if (const std::string target = absl::GetFlag(FLAGS_staff_backend);
      !target.empty()) {
    staff_directory = std::make_unique<appointments::GrpcStaffDirectory>(
        server::NewChannel(target), &verifier);
    options.staff = staff_directory.get();
  } else {
    server::LogWarning(
        "no --staff_backend: therapists' credentials are not checked");
  }
  appointments::LocationServiceImpl locations(&store, &verifier);
  appointments::AppointmentTypeServiceImpl types(&store, &verifier);
  appointments::ScheduleServiceImpl schedules(&store, &verifier, options);
  appointments::AppointmentServiceImpl appointments_service(&store, &verifier,
                                                            options);
  namespace v1 = appointments::v1;
  auto started = server::Server::Start(
      server::ServerOptionsFromFlags(),
      {{&locations, v1::LocationService::service_full_name()},
       {&types, v1::AppointmentTypeService::service_full_name()},
       {&schedules, v1::ScheduleService::service_full_name()},
       {&appointments_service, v1::AppointmentService::service_full_name()}});
  if (!started.ok()) {
    server::LogError(started.status().ToString());
    return 1;
  }
  server::LogInfo("appointments listening on ", absl::GetFlag(FLAGS_address),
                  ":", (*started)->port());
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
