// A whole clinic in one process for cross-service tests: PostgreSQL, every
// service of deploy/services.roster on in-process gRPC servers (port 0), and
// the gateway (port 0) in front, with a clock tests can move forward.
#ifndef CLINIC_TESTS_INTEGRATION_SYSTEM_H_
#define CLINIC_TESTS_INTEGRATION_SYSTEM_H_

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/appointments/appointment_service.h"
#include "services/appointments/catalog_cache.h"
#include "services/appointments/catalog_service.h"
#include "services/appointments/pg_store.h"
#include "services/appointments/staff_directory.h"
#include "services/booking/service.h"
#include "services/common/clients/patients.h"
#include "services/common/server/caller.h"
#include "services/common/server/server.h"
#include "services/common/testing/faults.h"
#include "services/gateway/gateway_server.h"
#include "services/gateway/test_http_client.h"
#include "services/notifications/service.h"
#include "services/notifications/store.h"
#include "services/patients/pg_store.h"
#include "services/patients/service.h"
#include "services/screenings/pg_store.h"
#include "services/screenings/scheduling.h"
#include "services/screenings/service.h"
#include "services/staff/pg_store.h"
#include "services/staff/service.h"
#include "services/therapy_plans/appointments_client.h"
#include "services/therapy_plans/pg_store.h"
#include "services/therapy_plans/service.h"

namespace clinic::integration {

inline constexpr char kSecret[] = "integration-secret";

// Seconds added to the services' clock (to expire sessions).
extern std::atomic<int64_t> g_offset_seconds;
absl::Time Now();

// The value of a top-level JSON string field (enough for these bodies).
std::string Field(const std::string& body, const std::string& name);

class System {
 public:
  // `public_limit`: the gateway's per-address limit on public methods (the
  // production default unless a test needs many anonymous calls).
  explicit System(gateway::RateLimit public_limit = gateway::RateLimit{});

  gateway::testing::HttpResponse Post(
      const std::string& path, const std::string& json,
      const std::string& cookie = "",
      const std::string& content_type = "application/json");

  // Logs in; returns the Cookie header value ("__Host-clinic_session=...").
  std::string Login(const std::string& email, const std::string& password);

  // Creates a member as `admin_cookie`; returns {name, password}.
  std::pair<std::string, std::string> CreateMember(
      const std::string& admin_cookie, const std::string& email,
      const std::string& role);

  // A small practice made through the gateway as `admin_cookie`: a location
  // "Denver – Highlands" (America/Denver) open every day 7:00-19:00, an
  // appointment type from `type_json` (the CreateAppointmentType body's
  // "appointmentType" object), and a therapist `therapist_email` working
  // there 8:00-17:00 on `days`, with `exceptions_json` (the schedule's
  // "exceptions" array, or empty). Fails the test on any refusal.
  struct Practice {
    std::string location, type, therapist, therapist_password;
  };
  Practice MakePractice(const std::string& admin_cookie,
                        const std::string& therapist_email,
                        const std::string& type_json,
                        const std::vector<std::string>& days = kEveryDay,
                        const std::string& exceptions_json = "");
  static inline const std::vector<std::string> kEveryDay = {
      "MONDAY", "TUESDAY",  "WEDNESDAY", "THURSDAY",
      "FRIDAY", "SATURDAY", "SUNDAY"};

  // Bootstraps an admin, creates a front-desk member and logs both in:
  // {admin cookie, front-desk cookie}.
  std::pair<std::string, std::string> AdminAndFrontDesk(
      const std::string& domain);

  staff::StaffStore* staff_store() { return staff_store_.get(); }
  int gateway_port() const { return gateway_->port(); }
  // The port of the scheduling services' gRPC server (for direct calls).
  int scheduling_port() const { return scheduling_server_->port(); }
  const std::string& conninfo() const { return conninfo_; }
  // For tests that run a notifications worker of their own.
  notifications::MessageStore* message_store() { return message_store_.get(); }
  std::string people_target() const {
    return absl::StrCat("127.0.0.1:", server_->port());
  }
  std::string scheduling_target() const {
    return absl::StrCat("127.0.0.1:", scheduling_server_->port());
  }
  const server::CallerVerifier& verifier() const { return verifier_; }
  // The appointments service itself (for its timer's work, e.g.
  // AdvanceWaitlistOffers, on the test's clock).
  appointments::AppointmentServiceImpl& appointments() {
    return *appointments_;
  }
  // Failures injected into the booking service's calls to the services
  // behind it (services/common/testing/faults.h).
  testing::Faults& booking_faults() { return booking_faults_; }

 private:
  std::string conninfo_;
  testing::Faults booking_faults_;
  server::CallerVerifier verifier_{kSecret};
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<staff::PgStaffStore> staff_store_;
  std::unique_ptr<staff::StaffServiceImpl> staff_;
  std::unique_ptr<patients::PgPatientStore> patient_store_;
  std::unique_ptr<patients::PatientServiceImpl> patients_;
  std::unique_ptr<screenings::PgContactStore> contact_store_;
  std::unique_ptr<screenings::ScreeningServiceImpl> screenings_;
  std::unique_ptr<booking::BookingServiceImpl> booking_;
  std::unique_ptr<appointments::GrpcStaffDirectory> staff_directory_;
  std::unique_ptr<clients::GrpcPatientDirectory> patient_directory_;
  std::unique_ptr<clients::GrpcPatientDirectory> appointments_patients_;
  std::unique_ptr<screenings::GrpcEvaluationScheduler> scheduler_;
  std::unique_ptr<therapy_plans::GrpcAppointmentsClient> plan_appointments_;
  std::unique_ptr<therapy_plans::PgPlanStore> plan_store_;
  std::unique_ptr<therapy_plans::TherapyPlanServiceImpl> plans_;
  std::unique_ptr<notifications::MessageStore> message_store_;
  std::unique_ptr<notifications::FeedStore> feed_store_;
  std::unique_ptr<notifications::NotificationServiceImpl> notifications_;
  std::unique_ptr<appointments::PgSchedulingStore> scheduling_store_;
  std::unique_ptr<appointments::CachingCatalogStore> catalog_;
  std::unique_ptr<appointments::LocationServiceImpl> locations_;
  std::unique_ptr<appointments::AppointmentTypeServiceImpl> types_;
  std::unique_ptr<appointments::ScheduleServiceImpl> schedules_;
  std::unique_ptr<appointments::AppointmentServiceImpl> appointments_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<server::Server> scheduling_server_;
  std::unique_ptr<server::Server> screenings_server_;
  std::unique_ptr<server::Server> plans_server_;
  std::unique_ptr<server::Server> notifications_server_;
  std::unique_ptr<server::Server> booking_server_;
  std::unique_ptr<gateway::GatewayServer> gateway_;
};

}  // namespace clinic::integration

#endif  // CLINIC_TESTS_INTEGRATION_SYSTEM_H_
