#include "services/appointments/test_fixture.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/appointments/pg_schema.h"
#include "services/appointments/validation.h"
#include "services/common/server/client.h"
#include "services/common/testing/postgres.h"

namespace clinic::appointments {

void SchedulingFixture::SetUp() {
  // Monday 2026-03-02, 08:00 in Denver.
  SetNow(Local(2026, 3, 2, 8, 0));
  conninfo_ = testing::NewTestDatabase();
  ASSERT_TRUE(MigrateAppointments(conninfo_).ok());
  db::PoolOptions o;
  o.conninfo = conninfo_;
  o.max_connections = 64;
  pool_ = std::make_unique<db::Pool>(o);
  store_ = std::make_unique<PgSchedulingStore>(pool_.get());
  options_.now = [this] { return Now(); };
  options_.manage_key = "test-manage-key";
  catalog_ =
      std::make_unique<CachingCatalogStore>(store_.get(), absl::Seconds(2));
  locations_ =
      std::make_unique<LocationServiceImpl>(catalog_.get(), &verifier_);
  types_ =
      std::make_unique<AppointmentTypeServiceImpl>(catalog_.get(), &verifier_);
  schedules_ = std::make_unique<ScheduleServiceImpl>(
      catalog_.get(), store_.get(), &verifier_, options_);
  appointments_ = std::make_unique<AppointmentServiceImpl>(
      catalog_.get(), store_.get(), &verifier_, options_);
  server::ServerOptions so;
  auto server = server::Server::Start(
      so, {{locations_.get(), v1::LocationService::service_full_name()},
           {types_.get(), v1::AppointmentTypeService::service_full_name()},
           {schedules_.get(), v1::ScheduleService::service_full_name()},
           {appointments_.get(), v1::AppointmentService::service_full_name()}});
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  channel_ = server::NewChannel(absl::StrCat("127.0.0.1:", server_->port()));
  location_stub_ = v1::LocationService::NewStub(channel_);
  type_stub_ = v1::AppointmentTypeService::NewStub(channel_);
  schedule_stub_ = v1::ScheduleService::NewStub(channel_);
  stub_ = v1::AppointmentService::NewStub(channel_);
}

void SchedulingFixture::TearDown() {
  if (server_) server_->Shutdown();
}

std::unique_ptr<grpc::ClientContext> SchedulingFixture::Ctx(
    api::v1::StaffRole role) const {
  auto ctx = server::NewCallContext(absl::Seconds(30));
  server::Caller caller;
  caller.staff = "staff/22222222-2222-4222-8222-222222222222";
  caller.roles = {role};
  caller.request_id = "rid-1";
  verifier_.Forward(caller, *ctx);
  return ctx;
}

absl::Time SchedulingFixture::Now() const {
  absl::MutexLock lock(&clock_mu_);
  return now_;
}

void SchedulingFixture::SetNow(absl::Time t) {
  absl::MutexLock lock(&clock_mu_);
  now_ = t;
}

absl::Time SchedulingFixture::Local(int y, int m, int d, int hh, int mm) {
  absl::TimeZone zone;
  absl::LoadTimeZone(kZone, &zone);
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), zone);
}

std::string SchedulingFixture::Patient(int i) {
  return absl::StrFormat("patients/00000000-0000-4000-8000-%012d", i);
}

namespace {
google::type::TimeOfDay Hm(int h, int m) {
  google::type::TimeOfDay t;
  t.set_hours(h);
  t.set_minutes(m);
  return t;
}
}  // namespace

v1::ProviderSchedule SchedulingFixture::WeeklySchedule(
    const std::string& therapist) const {
  v1::ProviderSchedule s;
  s.set_name(absl::StrCat(therapist, "/schedule"));
  for (int d = 1; d <= 7; ++d) {
    v1::WorkingHours* h = s.add_weekly_hours();
    h->set_location(location_.name());
    h->set_day(static_cast<google::type::DayOfWeek>(d));
    *h->mutable_start() = Hm(8, 0);
    *h->mutable_end() = Hm(18, 0);
    v1::WorkingHours* b = s.add_breaks();
    b->set_location(location_.name());
    b->set_day(static_cast<google::type::DayOfWeek>(d));
    *b->mutable_start() = Hm(12, 0);
    *b->mutable_end() = Hm(13, 0);
  }
  return s;
}

void SchedulingFixture::CreateCatalog() {
  v1::CreateLocationRequest lr;
  v1::Location* l = lr.mutable_location();
  l->set_display_name("Boulder – Pearl Street");
  l->set_time_zone(kZone);
  l->set_slot_minutes(15);
  for (int d = 1; d <= 7; ++d) {
    v1::OpeningHours* h = l->add_opening_hours();
    h->set_day(static_cast<google::type::DayOfWeek>(d));
    *h->mutable_open() = Hm(7, 0);
    *h->mutable_close() = Hm(19, 0);
  }
  {
    auto ctx = Ctx(api::v1::STAFF_ROLE_ADMIN);
    grpc::Status s = location_stub_->CreateLocation(ctx.get(), lr, &location_);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  v1::CreateAppointmentTypeRequest tr;
  v1::AppointmentType* t = tr.mutable_appointment_type();
  t->set_display_name("Initial evaluation");
  t->mutable_duration()->set_seconds(3600);
  t->mutable_buffer_after()->set_seconds(15 * 60);
  t->set_color("#3366cc");
  {
    auto ctx = Ctx(api::v1::STAFF_ROLE_ADMIN);
    grpc::Status s = type_stub_->CreateAppointmentType(ctx.get(), tr, &type_);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  for (const char* therapist : {kTherapist, kTherapist2}) {
    v1::UpdateProviderScheduleRequest sr;
    *sr.mutable_schedule() = WeeklySchedule(therapist);
    v1::UpdateProviderScheduleResponse resp;
    auto ctx = Ctx(api::v1::STAFF_ROLE_ADMIN);
    grpc::Status s =
        schedule_stub_->UpdateProviderSchedule(ctx.get(), sr, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
}

grpc::Status SchedulingFixture::Book(const std::string& patient,
                                     absl::Time start, v1::Appointment* out,
                                     const std::string& request_id,
                                     const std::string& hold,
                                     const std::string& therapist) {
  v1::BookAppointmentRequest req;
  v1::Appointment* a = req.mutable_appointment();
  a->set_patient(patient);
  a->set_therapist(therapist);
  a->set_location(location_.name());
  a->set_appointment_type(type_.name());
  *a->mutable_start_time() = ToProto(start);
  req.set_request_id(request_id);
  req.set_hold(hold);
  auto ctx = Ctx();
  return stub_->BookAppointment(ctx.get(), req, out);
}

int SchedulingFixture::TherapistOverlaps() {
  pqxx::connection c(conninfo_);
  pqxx::nontransaction n(c);
  return n
      .exec(
          "SELECT count(*) FROM appointments.appointments a"
          " JOIN appointments.appointments b ON a.therapist = b.therapist"
          " AND a.id < b.id AND a.buffered_range && b.buffered_range"
          " WHERE a.state IN (1, 2, 3) AND b.state IN (1, 2, 3)")[0][0]
      .as<int>();
}

int SchedulingFixture::PatientOverlaps() {
  pqxx::connection c(conninfo_);
  pqxx::nontransaction n(c);
  return n
      .exec(
          "SELECT count(*) FROM appointments.appointments a"
          " JOIN appointments.appointments b ON a.patient = b.patient"
          " AND a.id < b.id AND tstzrange(a.start_time, a.end_time) &&"
          " tstzrange(b.start_time, b.end_time)"
          " WHERE a.state IN (1, 2, 3) AND b.state IN (1, 2, 3)")[0][0]
      .as<int>();
}

}  // namespace clinic::appointments
