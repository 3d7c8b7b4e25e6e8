// SchedulingStore on PostgreSQL (schema "appointments"). How the database
// guarantees no double booking, holds included: migrations/0001_init.sql.
#ifndef CLINIC_SERVICES_APPOINTMENTS_PG_STORE_H_
#define CLINIC_SERVICES_APPOINTMENTS_PG_STORE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/appointments/store.h"
#include "services/common/db/pool.h"

namespace clinic::appointments {

// The schema the service owns; migrations/ create everything inside it.
inline constexpr char kSchema[] = "appointments";

class PgSchedulingStore : public SchedulingStore {
 public:
  // `pool` must outlive the store.
  explicit PgSchedulingStore(db::Pool* pool) : pool_(pool) {}

  absl::StatusOr<v1::Location> GetLocation(const std::string& id) override;
  absl::StatusOr<PageOf<v1::Location>> ListLocations(const Page& page) override;
  absl::StatusOr<v1::Location> CreateLocation(const v1::Location& location,
                                              const RequestKey& key) override;
  absl::StatusOr<v1::Location> UpdateLocation(
      const std::string& id, const v1::Location& location) override;

  absl::StatusOr<v1::AppointmentType> GetType(const std::string& id) override;
  absl::StatusOr<PageOf<v1::AppointmentType>> ListTypes(
      const Page& page, bool show_inactive) override;
  absl::StatusOr<v1::AppointmentType> CreateType(
      const v1::AppointmentType& type, const RequestKey& key) override;
  absl::StatusOr<v1::AppointmentType> UpdateType(
      const std::string& id, const v1::AppointmentType& type) override;

  absl::StatusOr<ScheduleRecord> GetSchedule(
      const std::string& therapist) override;
  absl::StatusOr<std::vector<ScheduleRecord>> ListSchedulesAt(
      const std::vector<std::string>& location_ids) override;
  absl::StatusOr<v1::ProviderSchedule> SaveSchedule(
      const std::string& therapist, const v1::ProviderSchedule& schedule,
      const std::vector<std::string>& location_ids) override;
  absl::Status SetCredentials(
      const std::string& therapist,
      const std::optional<std::vector<std::string>>& credentials) override;

  absl::StatusOr<std::map<std::string, std::vector<slots::Interval>>>
  BusyIntervals(const std::vector<std::string>& therapists, absl::Time from,
                absl::Time to, absl::Time now) override;

  absl::StatusOr<v1::Hold> Hold(const Claim& claim, absl::Time expire_time,
                                const RequestKey& key) override;
  absl::StatusOr<v1::Appointment> Book(const NewAppointment& a,
                                       const RequestKey& key) override;
  absl::StatusOr<v1::Appointment> GetAppointment(
      const std::string& id) override;
  absl::StatusOr<PageOf<v1::Appointment>> ListAppointments(
      const AppointmentQuery& query) override;
  absl::StatusOr<v1::Appointment> Reschedule(const std::string& id,
                                             const Claim& claim,
                                             const std::string& etag,
                                             const RequestKey& key) override;
  absl::StatusOr<v1::Appointment> ChangeState(
      const std::string& id, Verb verb, const std::string& etag,
      const std::string& reason,
      absl::FunctionRef<absl::Status(const v1::Appointment&)> check) override;

  absl::StatusOr<v1::WaitlistEntry> CreateWaitlistEntry(
      const v1::WaitlistEntry& entry, const RequestKey& key) override;
  absl::StatusOr<PageOf<v1::WaitlistEntry>> ListWaitlistEntries(
      const WaitlistQuery& query) override;
  absl::Status DeleteWaitlistEntry(const std::string& id) override;

 private:
  // After an exclusion violation that no check inside the transaction
  // caught (a race on the patient), the ALREADY_EXISTS naming the slot.
  absl::Status DescribeConflict(const Claim& claim, const std::string& patient,
                                const std::string& self_id,
                                const absl::Status& original);

  db::Pool* pool_;
};

// Applies migrations/ to the database at `conninfo`.
absl::Status MigrateAppointments(const std::string& conninfo);

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_PG_STORE_H_
