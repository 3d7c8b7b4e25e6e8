// The screenings service: wiring only (see services/common/server/runtime.h).
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/common/clients/patients.h"
#include "services/common/server/client.h"
#include "services/common/server/log.h"
#include "services/common/server/runtime.h"
#include "services/screenings/pg_store.h"
#include "services/screenings/scheduling.h"
#include "services/screenings/service.h"

ABSL_FLAG(std::string, default_region, "US",
          "Region (ISO 3166) for phone numbers without a country code.");
ABSL_FLAG(std::string, patients_backend, "",
          "gRPC target of clinic.patients.v1.PatientService (screenings are "
          "of existing patients).");
ABSL_FLAG(std::string, appointments_backend, "",
          "gRPC target of the clinic.appointments.v1 services (a screening "
          "converts into a booked initial evaluation).");

int main(int argc, char** argv) {
  namespace server = clinic::server;
  namespace screenings = clinic::screenings;
  server::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  const std::string patients_target = absl::GetFlag(FLAGS_patients_backend);
  const std::string appointments_target =
      absl::GetFlag(FLAGS_appointments_backend);
  if (patients_target.empty() || appointments_target.empty()) {
    server::SetLogName("screenings");
    server::LogError(
        "--patients_backend and --appointments_backend are required");
    return 2;
  }
  auto runtime =
      server::Runtime::Open("screenings", screenings::MigrateScreenings);
  if (!runtime.ok()) return server::ExitCode(runtime.status());
  screenings::PgContactStore store(&(*runtime)->pool());
  clinic::clients::GrpcPatientDirectory patients(
      server::NewChannel(patients_target), &(*runtime)->verifier());
  screenings::GrpcEvaluationScheduler scheduler(
      server::NewChannel(appointments_target), &(*runtime)->verifier());
  screenings::ScreeningServiceOptions options;
  options.default_region = absl::GetFlag(FLAGS_default_region);
  options.patients = &patients;
  options.scheduler = &scheduler;
  auto protocols = screenings::LoadShippedProtocols();
  if (!protocols.ok()) {
    server::LogError("screening protocols: ", protocols.status().message());
    return 2;
  }
  options.protocols = *std::move(protocols);
  screenings::ScreeningServiceImpl service(&store, &(*runtime)->verifier(),
                                           options);
  return (*runtime)->Serve(
      {{&service, screenings::v1::ScreeningService::service_full_name()}});
}
