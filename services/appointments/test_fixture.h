// A running appointments process for tests: a fresh PostgreSQL database,
// the four services on a real gRPC server (port 0), stubs, a settable
// clock, and helpers that create a location, a type and a schedule.
#ifndef CLINIC_SERVICES_APPOINTMENTS_TEST_FIXTURE_H_
#define CLINIC_SERVICES_APPOINTMENTS_TEST_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/appointments/appointment_service.h"
#include "services/appointments/catalog_cache.h"
#include "services/appointments/catalog_service.h"
#include "services/appointments/pg_store.h"
#include "services/common/server/caller.h"
#include "services/common/server/server.h"

namespace clinic::appointments {

class SchedulingFixture : public ::testing::Test {
 protected:
  // The zone of the test location.
  static constexpr char kZone[] = "America/Denver";
  static constexpr char kTherapist[] =
      "staff/11111111-1111-4111-8111-111111111111";
  static constexpr char kTherapist2[] =
      "staff/33333333-3333-4333-8333-333333333333";

  void SetUp() override;
  void TearDown() override;

  // A call context with the gateway secret and a staff caller with `role`.
  std::unique_ptr<grpc::ClientContext> Ctx(
      api::v1::StaffRole role = api::v1::STAFF_ROLE_FRONT_DESK) const;

  // The test clock.
  absl::Time Now() const;
  void SetNow(absl::Time t);
  // A local time at the test location.
  static absl::Time Local(int y, int m, int d, int hh, int mm);
  static std::string Patient(int i);

  // Creates "Boulder" (every day 07:00-19:00, 15-minute grid), a 60-minute
  // type with a 15-minute buffer after, and schedules for both therapists:
  // every day 08:00-18:00 with a 12:00-13:00 break.
  void CreateCatalog();
  v1::ProviderSchedule WeeklySchedule(const std::string& therapist) const;

  // Books patient `patient` with kTherapist at `start`.
  grpc::Status Book(const std::string& patient, absl::Time start,
                    v1::Appointment* out, const std::string& request_id = "",
                    const std::string& hold = "",
                    const std::string& therapist = kTherapist);

  // Pairs of overlapping active appointments (therapist with buffers,
  // patient without), straight from SQL.
  int TherapistOverlaps();
  int PatientOverlaps();

  SchedulingOptions options_;
  server::CallerVerifier verifier_{"test-secret"};
  std::string conninfo_;
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<PgSchedulingStore> store_;
  std::unique_ptr<CachingCatalogStore> catalog_;
  std::unique_ptr<LocationServiceImpl> locations_;
  std::unique_ptr<AppointmentTypeServiceImpl> types_;
  std::unique_ptr<ScheduleServiceImpl> schedules_;
  std::unique_ptr<AppointmentServiceImpl> appointments_;
  std::unique_ptr<server::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::LocationService::Stub> location_stub_;
  std::unique_ptr<v1::AppointmentTypeService::Stub> type_stub_;
  std::unique_ptr<v1::ScheduleService::Stub> schedule_stub_;
  std::unique_ptr<v1::AppointmentService::Stub> stub_;

  v1::Location location_;
  v1::AppointmentType type_;

 private:
  mutable absl::Mutex clock_mu_;
  absl::Time now_ ABSL_GUARDED_BY(clock_mu_);
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_TEST_FIXTURE_H_
