// The therapy plans service: wiring only (see services/common/server/
// runtime.h).
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/time.h"
#include "services/common/clients/patients.h"
#include "services/common/server/client.h"
#include "services/common/server/log.h"
#include "services/common/server/runtime.h"
#include "services/therapy_plans/appointments_client.h"
#include "services/therapy_plans/pg_store.h"
#include "services/therapy_plans/service.h"

ABSL_FLAG(std::string, patients_backend, "",
          "gRPC target of clinic.patients.v1.PatientService.");
ABSL_FLAG(std::string, appointments_backend, "",
          "gRPC target of the clinic.appointments.v1 services (visits are "
          "read and booked there).");
ABSL_FLAG(std::string, time_zone, "America/Denver",
          "The practice's IANA zone: what 'today' means for due dates.");

int main(int argc, char** argv) {
  namespace server = clinic::server;
  namespace plans = clinic::therapy_plans;
  server::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  server::SetLogName("therapy_plans");
  const std::string patients_target = absl::GetFlag(FLAGS_patients_backend);
  const std::string appointments_target =
      absl::GetFlag(FLAGS_appointments_backend);
  if (patients_target.empty() || appointments_target.empty()) {
    server::LogError(
        "--patients_backend and --appointments_backend are required");
    return 2;
  }
  plans::TherapyPlanServiceOptions options;
  if (!absl::LoadTimeZone(absl::GetFlag(FLAGS_time_zone), &options.zone)) {
    server::LogError("--time_zone: unknown zone ",
                     absl::GetFlag(FLAGS_time_zone));
    return 2;
  }
  auto templates = plans::LoadShippedTemplates();
  if (!templates.ok()) {
    server::LogError("plan templates: ", templates.status().message());
    return 2;
  }
  options.templates = *std::move(templates);
  auto runtime =
      server::Runtime::Open("therapy_plans", plans::MigrateTherapyPlans);
  if (!runtime.ok()) return server::ExitCode(runtime.status());
  plans::PgPlanStore store(&(*runtime)->pool());
  clinic::clients::GrpcPatientDirectory patients(
      server::NewChannel(patients_target), &(*runtime)->verifier());
  plans::GrpcAppointmentsClient appointments(
      server::NewChannel(appointments_target), &(*runtime)->verifier());
  options.patients = &patients;
  options.appointments = &appointments;
  plans::TherapyPlanServiceImpl service(&store, &(*runtime)->verifier(),
                                        options);
  return (*runtime)->Serve(
      {{&service, plans::v1::TherapyPlanService::service_full_name()}});
}
