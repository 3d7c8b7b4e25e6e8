// The appointments service: wiring only (see services/common/server/
// runtime.h). Serves the four scheduling services (locations, appointment
// types, schedules, appointments) from one process.
#include <memory>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/synchronization/notification.h"
#include "services/appointments/appointment_service.h"
#include "services/appointments/catalog_cache.h"
#include "services/appointments/catalog_service.h"
#include "services/appointments/manage_token.h"
#include "services/appointments/pg_schema.h"
#include "services/appointments/pg_store.h"
#include "services/appointments/staff_directory.h"
#include "services/common/server/caller.h"
#include "services/common/server/client.h"
#include "services/common/server/log.h"
#include "services/common/server/runtime.h"

ABSL_FLAG(std::string, staff_backend, "",
          "gRPC target of clinic.staff.v1.StaffService (host:port), to check "
          "that a schedule's therapist is an active therapist and record "
          "their credentials.");
ABSL_FLAG(std::string, patients_backend, "",
          "gRPC target of clinic.patients.v1.PatientService, to check that a "
          "patient booked or put on the waitlist by staff exists.");
ABSL_FLAG(absl::Duration, catalog_cache_ttl, absl::Seconds(2),
          "How long locations, appointment types and schedules are reused "
          "from memory; another replica's change is seen within it. 0: off.");
ABSL_FLAG(absl::Duration, hold_ttl, absl::Minutes(5),
          "How long HoldSlot keeps a slot before it lapses by itself.");
ABSL_FLAG(absl::Duration, waitlist_offer_hold, absl::Hours(2),
          "How long a time freed by a cancellation is held for the waitlisted "
          "patient offered it before the next one is offered it.");
ABSL_FLAG(absl::Duration, waitlist_offer_min_notice, absl::Hours(1),
          "A freed time is not offered (nor held) nearer its start than this.");
ABSL_FLAG(absl::Duration, waitlist_offer_poll, absl::Seconds(15),
          "How often lapsed offers are passed on to the next entry.");

int main(int argc, char** argv) {
  using namespace clinic;  // NOLINT: main only.
  server::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  server::SetLogName("appointments");
  const absl::Duration hold_ttl = absl::GetFlag(FLAGS_hold_ttl);
  if (hold_ttl <= absl::ZeroDuration() || hold_ttl > absl::Hours(24)) {
    server::LogError("--hold_ttl must be more than 0 and at most 24h");
    return 2;
  }
  auto runtime =
      server::Runtime::Open("appointments", appointments::MigrateAppointments);
  if (!runtime.ok()) return server::ExitCode(runtime.status());
  const server::CallerVerifier& verifier = (*runtime)->verifier();
  appointments::PgSchedulingStore store(&(*runtime)->pool());
  // Every service reads and writes the catalog through the cache, so a
  // write is seen at once here and within the TTL on other replicas.
  appointments::CachingCatalogStore catalog(
      &store, absl::GetFlag(FLAGS_catalog_cache_ttl));
  appointments::SchedulingOptions options;
  options.hold_ttl = hold_ttl;
  options.offer_hold = absl::GetFlag(FLAGS_waitlist_offer_hold);
  options.offer_min_notice = absl::GetFlag(FLAGS_waitlist_offer_min_notice);
  if (options.offer_hold < absl::Minutes(5)) {
    server::LogError("--waitlist_offer_hold must be at least 5m");
    return 2;
  }
  // Manage-link tokens are keyed by the gateway secret, through a one-way
  // derivation (a new secret retires every outstanding link).
  options.manage_key =
      appointments::DeriveManageKey((*runtime)->gateway_secret());
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
  // Patients are archived, never deleted: one found is remembered a while,
  // so a busy desk's bookings do not each ask the patients service.
  std::unique_ptr<clients::GrpcPatientDirectory> patient_directory;
  if (const std::string target = absl::GetFlag(FLAGS_patients_backend);
      !target.empty()) {
    clients::PatientDirectoryOptions po;
    po.remember_for = absl::Minutes(10);
    patient_directory = std::make_unique<clients::GrpcPatientDirectory>(
        server::NewChannel(target), &verifier, po);
    options.patients = patient_directory.get();
  } else {
    server::LogWarning("no --patients_backend: patients are not checked");
  }
  appointments::LocationServiceImpl locations(&catalog, &verifier);
  appointments::AppointmentTypeServiceImpl types(&catalog, &verifier);
  appointments::ScheduleServiceImpl schedules(&catalog, &store, &verifier,
                                              options);
  appointments::AppointmentServiceImpl appointments_service(&catalog, &store,
                                                            &verifier, options);
  // Offers lapse by time: a timer passes them on (every replica runs one;
  // the store's row locks keep them from offering a time twice).
  absl::Notification stop;
  std::thread offers([&] {
    const absl::Duration poll = absl::GetFlag(FLAGS_waitlist_offer_poll);
    while (!stop.WaitForNotificationWithTimeout(poll)) {
      if (absl::StatusOr<int> made =
              appointments_service.AdvanceWaitlistOffers();
          !made.ok()) {
        server::LogWarning("waitlist offers: ", made.status().ToString());
      }
    }
  });
  namespace v1 = appointments::v1;
  const int rc = (*runtime)->Serve(
      {{&locations, v1::LocationService::service_full_name()},
       {&types, v1::AppointmentTypeService::service_full_name()},
       {&schedules, v1::ScheduleService::service_full_name()},
       {&appointments_service, v1::AppointmentService::service_full_name()}});
  stop.Notify();
  offers.join();
  return rc;
}
