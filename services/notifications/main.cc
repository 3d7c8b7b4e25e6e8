// The notifications service: the outbox page's RPCs and the worker that
// turns appointment events into messages and sends them (worker.h).
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/common/server/client.h"
#include "services/common/server/log.h"
#include "services/common/server/runtime.h"
#include "services/notifications/service.h"
#include "services/notifications/store.h"
#include "services/notifications/unsubscribe.h"
#include "services/notifications/worker.h"

ABSL_FLAG(std::string, patients_backend, "",
          "gRPC target of clinic.patients.v1.PatientService.");
ABSL_FLAG(std::string, appointments_backend, "",
          "gRPC target of the clinic.appointments.v1 services.");
ABSL_FLAG(std::string, smtp_relay, "",
          "SMTP relay, smtp://host:port (STARTTLS when offered); empty: "
          "messages stay queued.");
ABSL_FLAG(std::string, smtp_sender, "clinic@localhost",
          "The From and envelope sender.");
ABSL_FLAG(std::string, smtp_username, "",
          "SMTP login, if the relay needs one.");
ABSL_FLAG(std::string, smtp_password_file, "",
          "A file holding the SMTP password.");
ABSL_FLAG(std::string, public_base_url, "",
          "The public site (http://host:port), for manage links in messages.");
ABSL_FLAG(absl::Duration, reminder_lead, absl::Hours(24),
          "How long before an appointment its reminder goes out (whole days "
          "keep the local time).");
ABSL_FLAG(bool, calendar_feed_patient_names, false,
          "Whether therapists' calendar feeds name patients (off: the type "
          "and location only).");
ABSL_FLAG(int, quiet_from, 21, "Local hour from which no reminder goes out.");
ABSL_FLAG(int, quiet_to, 8, "Local hour until which no reminder goes out.");

int main(int argc, char** argv) {
  namespace server = clinic::server;
  namespace n = clinic::notifications;
  server::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  server::SetLogName("notifications");
  const std::string patients = absl::GetFlag(FLAGS_patients_backend);
  const std::string appointments = absl::GetFlag(FLAGS_appointments_backend);
  if (patients.empty() || appointments.empty()) {
    server::LogError(
        "--patients_backend and --appointments_backend are required");
    return 2;
  }
  n::WorkerOptions options;
  options.reminder_lead = absl::GetFlag(FLAGS_reminder_lead);
  options.quiet_from = absl::GetFlag(FLAGS_quiet_from);
  options.quiet_to = absl::GetFlag(FLAGS_quiet_to);
  options.public_base_url = absl::GetFlag(FLAGS_public_base_url);
  options.smtp.relay = absl::GetFlag(FLAGS_smtp_relay);
  options.smtp.sender = absl::GetFlag(FLAGS_smtp_sender);
  options.smtp.username = absl::GetFlag(FLAGS_smtp_username);
  if (const std::string file = absl::GetFlag(FLAGS_smtp_password_file);
      !file.empty()) {
    std::FILE* f = std::fopen(file.c_str(), "r");
    if (f == nullptr) {
      server::LogError("cannot read --smtp_password_file ", file);
      return 2;
    }
    char buf[512] = {};
    const size_t got = std::fread(buf, 1, sizeof(buf) - 1, f);
    std::fclose(f);
    options.smtp.password = std::string(buf, got);
    while (!options.smtp.password.empty() &&
           (options.smtp.password.back() == '\n' ||
            options.smtp.password.back() == '\r')) {
      options.smtp.password.pop_back();
    }
  }
  if (options.smtp.relay.empty()) {
    server::LogWarning("no --smtp_relay: messages are made but not sent");
  }
  auto runtime =
      server::Runtime::Open("notifications", n::MigrateNotifications);
  if (!runtime.ok()) return server::ExitCode(runtime.status());
  n::MessageStore store(&(*runtime)->pool());
  // Reminders' unsubscribe links are signed with a key from the secret.
  options.unsubscribe_key =
      n::DeriveUnsubscribeKey((*runtime)->gateway_secret());
  n::Worker worker(&store, server::NewChannel(appointments),
                   server::NewChannel(patients), &(*runtime)->verifier(),
                   options);
  worker.Start();
  n::FeedStore feeds(&(*runtime)->pool());
  n::ServiceOptions service_options;
  service_options.patients = server::NewChannel(patients);
  service_options.appointments = server::NewChannel(appointments);
  service_options.unsubscribe_key = options.unsubscribe_key;
  service_options.public_base_url = options.public_base_url;
  service_options.feed_patient_names =
      absl::GetFlag(FLAGS_calendar_feed_patient_names);
  n::NotificationServiceImpl service(&store, &feeds, &(*runtime)->verifier(),
                                     service_options);
  const int rc = (*runtime)->Serve(
      {{&service, n::v1::NotificationService::service_full_name()}});
  worker.Stop();
  return rc;
}
