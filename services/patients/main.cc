// The patients service: wiring only (see services/common/server/runtime.h).
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/common/server/runtime.h"
#include "services/patients/pg_store.h"
#include "services/patients/service.h"

ABSL_FLAG(std::string, default_region, "US",
          "Region (ISO 3166) for phone numbers without a country code.");

int main(int argc, char** argv) {
  namespace server = clinic::server;
  namespace patients = clinic::patients;
  server::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  auto runtime = server::Runtime::Open("patients", patients::MigratePatients);
  if (!runtime.ok()) return server::ExitCode(runtime.status());
  patients::PgPatientStore store(&(*runtime)->pool());
  patients::PatientServiceOptions options;
  options.default_region = absl::GetFlag(FLAGS_default_region);
  patients::PatientServiceImpl service(&store, &(*runtime)->verifier(),
                                       options);
  return (*runtime)->Serve(
      {{&service, patients::v1::PatientService::service_full_name()}});
}
