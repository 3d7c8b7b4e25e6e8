#include "tests/integration/system.h"

#include <cstdlib>
#include <map>
#include <tuple>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/appointments/manage_token.h"
#include "services/appointments/pg_schema.h"
#include "services/common/server/client.h"
#include "services/common/testing/postgres.h"
#include "services/notifications/unsubscribe.h"
#include "services/staff/bootstrap.h"
#include "tests/integration/roster.h"

ABSL_DECLARE_FLAG(int, workers);

namespace clinic::integration {

using gateway::testing::HttpRequest;
using gateway::testing::HttpResponse;

std::atomic<int64_t> g_offset_seconds{0};
absl::Time Now() {
  return absl::Now() + absl::Seconds(g_offset_seconds.load());
}

std::string Field(const std::string& body, const std::string& name) {
  const std::string key = "\"" + name + "\":\"";
  size_t at = body.find(key);
  if (at == std::string::npos) return "";
  at += key.size();
  return body.substr(at, body.find('"', at) - at);
}

System::System(gateway::RateLimit public_limit) {
  // Every service runs here in one process, on one WorkerPool::Default():
  // give it what their separate processes have together (16 workers each),
  // or a service waiting on another (appointments on patients, booking on
  // the rest) could hold every worker the other needs.
  absl::SetFlag(&FLAGS_workers, 128);
  conninfo_ = testing::NewTestDatabase();
  if (!staff::MigrateStaff(conninfo_).ok() ||
      !patients::MigratePatients(conninfo_).ok() ||
      !appointments::MigrateAppointments(conninfo_).ok() ||
      !screenings::MigrateScreenings(conninfo_).ok() ||
      !therapy_plans::MigrateTherapyPlans(conninfo_).ok() ||
      !notifications::MigrateNotifications(conninfo_).ok()) {
    std::abort();
  }
  db::PoolOptions o;
  o.conninfo = conninfo_;
  // One pool for every service here; apart, each would have its own 16
  // (--db_pool_size).
  o.max_connections = 64;
  pool_ = std::make_unique<db::Pool>(o);
  staff_store_ = std::make_unique<staff::PgStaffStore>(pool_.get());
  staff::StaffServiceOptions so;
  so.now = Now;
  staff_ = std::make_unique<staff::StaffServiceImpl>(staff_store_.get(),
                                                     &verifier_, so);
  patient_store_ = std::make_unique<patients::PgPatientStore>(pool_.get());
  patients_ = std::make_unique<patients::PatientServiceImpl>(
      patient_store_.get(), &verifier_, patients::PatientServiceOptions{});
  // Each process's services on a server of their own, started in the
  // roster's order: a service's server starts after those it calls.
  const std::vector<server::ServiceEntry> people = {
      {staff_.get(), staff::v1::StaffService::service_full_name()},
      {patients_.get(), patients::v1::PatientService::service_full_name()}};
  server_ = *server::Server::Start(server::ServerOptions{}, people);
  const std::string target = absl::StrCat("127.0.0.1:", server_->port());
  staff_directory_ = std::make_unique<appointments::GrpcStaffDirectory>(
      server::NewChannel(target), &verifier_);
  patient_directory_ = std::make_unique<clients::GrpcPatientDirectory>(
      server::NewChannel(target), &verifier_);
  // As in services/appointments/main.cc: found patients are remembered.
  clients::PatientDirectoryOptions remembered;
  remembered.remember_for = absl::Minutes(10);
  appointments_patients_ = std::make_unique<clients::GrpcPatientDirectory>(
      server::NewChannel(target), &verifier_, remembered);
  scheduling_store_ =
      std::make_unique<appointments::PgSchedulingStore>(pool_.get());
  appointments::SchedulingOptions ao;
  ao.now = Now;
  ao.staff = staff_directory_.get();
  ao.patients = appointments_patients_.get();
  ao.manage_key = appointments::DeriveManageKey(kSecret);
  // As in services/appointments/main.cc: the catalog through its cache.
  catalog_ = std::make_unique<appointments::CachingCatalogStore>(
      scheduling_store_.get(), absl::Seconds(2));
  locations_ = std::make_unique<appointments::LocationServiceImpl>(
      catalog_.get(), &verifier_);
  types_ = std::make_unique<appointments::AppointmentTypeServiceImpl>(
      catalog_.get(), &verifier_);
  schedules_ = std::make_unique<appointments::ScheduleServiceImpl>(
      catalog_.get(), scheduling_store_.get(), &verifier_, ao);
  appointments_ = std::make_unique<appointments::AppointmentServiceImpl>(
      catalog_.get(), scheduling_store_.get(), &verifier_, ao);
  namespace av1 = appointments::v1;
  const std::vector<server::ServiceEntry> scheduling = {
      {locations_.get(), av1::LocationService::service_full_name()},
      {types_.get(), av1::AppointmentTypeService::service_full_name()},
      {schedules_.get(), av1::ScheduleService::service_full_name()},
      {appointments_.get(), av1::AppointmentService::service_full_name()}};
  scheduling_server_ =
      *server::Server::Start(server::ServerOptions{}, scheduling);
  const std::string scheduling_target =
      absl::StrCat("127.0.0.1:", scheduling_server_->port());
  contact_store_ = std::make_unique<screenings::PgContactStore>(pool_.get());
  scheduler_ = std::make_unique<screenings::GrpcEvaluationScheduler>(
      server::NewChannel(scheduling_target), &verifier_);
  screenings::ScreeningServiceOptions screening_options;
  screening_options.protocols = *screenings::LoadShippedProtocols();
  screening_options.patients = patient_directory_.get();
  screening_options.scheduler = scheduler_.get();
  screenings_ = std::make_unique<screenings::ScreeningServiceImpl>(
      contact_store_.get(), &verifier_, screening_options);
  screenings_server_ = *server::Server::Start(
      server::ServerOptions{},
      {{screenings_.get(),
        screenings::v1::ScreeningService::service_full_name()}});
  const std::string screenings_target =
      absl::StrCat("127.0.0.1:", screenings_server_->port());
  // Plans call patients and appointments.
  plan_appointments_ = std::make_unique<therapy_plans::GrpcAppointmentsClient>(
      server::NewChannel(scheduling_target), &verifier_);
  plan_store_ = std::make_unique<therapy_plans::PgPlanStore>(pool_.get());
  therapy_plans::TherapyPlanServiceOptions plan_options;
  plan_options.now = Now;
  absl::LoadTimeZone("America/Denver", &plan_options.zone);
  plan_options.templates = *therapy_plans::LoadShippedTemplates();
  plan_options.patients = patient_directory_.get();
  plan_options.appointments = plan_appointments_.get();
  plans_ = std::make_unique<therapy_plans::TherapyPlanServiceImpl>(
      plan_store_.get(), &verifier_, plan_options);
  plans_server_ = *server::Server::Start(
      server::ServerOptions{},
      {{plans_.get(),
        therapy_plans::v1::TherapyPlanService::service_full_name()}});
  const std::string plans_target =
      absl::StrCat("127.0.0.1:", plans_server_->port());
  // The notifications service's RPCs (its worker is started by the tests
  // that need one, with their own SMTP server).
  message_store_ = std::make_unique<notifications::MessageStore>(pool_.get());
  feed_store_ = std::make_unique<notifications::FeedStore>(pool_.get());
  notifications::ServiceOptions notification_options;
  notification_options.patients = server::NewChannel(target);
  notification_options.appointments = server::NewChannel(scheduling_target);
  notification_options.unsubscribe_key =
      notifications::DeriveUnsubscribeKey(kSecret);
  notification_options.public_base_url = "http://clinic.test";
  notifications_ = std::make_unique<notifications::NotificationServiceImpl>(
      message_store_.get(), feed_store_.get(), &verifier_,
      notification_options);
  notifications_server_ = *server::Server::Start(
      server::ServerOptions{},
      {{notifications_.get(),
        notifications::v1::NotificationService::service_full_name()}});
  const std::string notifications_target =
      absl::StrCat("127.0.0.1:", notifications_server_->port());
  // The booking service calls all the others: its own server, last.
  booking_ = std::make_unique<booking::BookingServiceImpl>(
      &verifier_,
      booking::BookingServiceImpl::Backends{
          booking_faults_.Channel(screenings_target),
          booking_faults_.Channel(scheduling_target),
          booking_faults_.Channel(target)},
      booking::BookingServiceOptions{});
  booking_server_ = *server::Server::Start(
      server::ServerOptions{},
      {{booking_.get(), booking::v1::BookingService::service_full_name()}});
  const std::string booking_target =
      absl::StrCat("127.0.0.1:", booking_server_->port());
  gateway::GatewayOptions g;
  g.gateway_secret = kSecret;
  // The gateway's backends come from the roster, as in ./clinic: each
  // listed gRPC service goes to the in-process server of its process.
  const std::map<std::string, std::string> servers = {
      {"staff", target},
      {"patients", target},
      {"screenings", screenings_target},
      {"therapy_plans", plans_target},
      {"notifications", notifications_target},
      {"appointments", scheduling_target},
      {"booking", booking_target}};
  absl::StatusOr<std::vector<RosterEntry>> roster = ReadRoster();
  if (!roster.ok()) {
    ADD_FAILURE() << roster.status();
    std::abort();
  }
  for (const RosterEntry& e : *roster) {
    auto server = servers.find(e.name);
    if (server == servers.end()) {
      ADD_FAILURE() << "the roster lists " << e.name
                    << ", which this fixture does not start";
      std::abort();
    }
    for (const std::string& service : e.services) {
      g.backends[service] = server->second;
    }
  }
  g.login_limit = {0, 0};  // tests log in often: no limit
  g.anonymous_limit = public_limit;
  gateway_ = *gateway::GatewayServer::Start(g);
}

HttpResponse System::Post(const std::string& path, const std::string& body,
                          const std::string& cookie,
                          const std::string& content_type) {
  HttpRequest req;
  req.method = "POST";
  req.target = path;
  req.headers = {{"Content-Type", content_type}};
  if (!cookie.empty()) req.headers.push_back({"Cookie", cookie});
  req.body = body;
  return gateway::testing::Fetch(gateway_->port(), req);
}

std::string System::Login(const std::string& email,
                          const std::string& password) {
  HttpResponse r =
      Post("/auth/login", absl::StrCat(R"({"email":")", email,
                                       R"(","password":")", password, R"("})"));
  EXPECT_EQ(r.status, 200) << r.body;
  std::string cookie = r.Header("set-cookie");
  return cookie.substr(0, cookie.find(';'));
}

std::pair<std::string, std::string> System::CreateMember(
    const std::string& admin_cookie, const std::string& email,
    const std::string& role) {
  HttpResponse r = Post(
      "/clinic.staff.v1.StaffService/CreateStaffMember",
      absl::StrCat(R"({"staffMember":{"givenName":"T","familyName":"T",)",
                   R"("email":")", email, R"(","roles":[")", role, R"("]}})"),
      admin_cookie);
  EXPECT_EQ(r.status, 200) << r.body;
  return {Field(r.body, "name"), Field(r.body, "initialPassword")};
}

System::Practice System::MakePractice(const std::string& admin_cookie,
                                      const std::string& therapist_email,
                                      const std::string& type_json,
                                      const std::vector<std::string>& days,
                                      const std::string& exceptions_json) {
  constexpr char kA[] = "/clinic.appointments.v1.";
  Practice p;
  std::tie(p.therapist, p.therapist_password) =
      CreateMember(admin_cookie, therapist_email, "STAFF_ROLE_THERAPIST");
  std::string hours, weekly;
  for (const std::string& day : kEveryDay) {
    absl::StrAppend(&hours, hours.empty() ? "" : ",", R"({"day":")", day,
                    R"(","open":{"hours":7},"close":{"hours":19}})");
  }
  HttpResponse r =
      Post(absl::StrCat(kA, "LocationService/CreateLocation"),
           absl::StrCat(R"({"location":{"displayName":"Denver – Highlands",)"
                        R"("timeZone":"America/Denver","openingHours":[)",
                        hours, "]}}"),
           admin_cookie);
  EXPECT_EQ(r.status, 200) << r.body;
  p.location = Field(r.body, "name");
  r = Post(absl::StrCat(kA, "AppointmentTypeService/CreateAppointmentType"),
           absl::StrCat(R"({"appointmentType":)", type_json, "}"),
           admin_cookie);
  EXPECT_EQ(r.status, 200) << r.body;
  p.type = Field(r.body, "name");
  for (const std::string& day : days) {
    absl::StrAppend(&weekly, weekly.empty() ? "" : ",", R"({"location":")",
                    p.location, R"(","day":")", day,
                    R"(","start":{"hours":8},"end":{"hours":17}})");
  }
  r = Post(
      absl::StrCat(kA, "ScheduleService/UpdateProviderSchedule"),
      absl::StrCat(R"({"schedule":{"name":")", p.therapist,
                   R"(/schedule","weeklyHours":[)", weekly, "]",
                   exceptions_json.empty()
                       ? ""
                       : absl::StrCat(R"(,"exceptions":)", exceptions_json),
                   "}}"),
      admin_cookie);
  EXPECT_EQ(r.status, 200) << r.body;
  return p;
}

std::pair<std::string, std::string> System::AdminAndFrontDesk(
    const std::string& domain) {
  const std::string admin_email = "admin@" + domain;
  absl::StatusOr<staff::BootstrapResult> admin = staff::BootstrapAdmin(
      staff_store(), staff::BootstrapRequest{admin_email});
  EXPECT_TRUE(admin.ok()) << admin.status();
  const std::string admin_cookie = Login(admin_email, admin->password);
  auto desk =
      CreateMember(admin_cookie, "desk@" + domain, "STAFF_ROLE_FRONT_DESK");
  return {admin_cookie, Login("desk@" + domain, desk.second)};
}

}  // namespace clinic::integration
