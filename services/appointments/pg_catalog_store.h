// CatalogStore on PostgreSQL (schema "appointments", see pg_schema.h).
#ifndef CLINIC_SERVICES_APPOINTMENTS_PG_CATALOG_STORE_H_
#define CLINIC_SERVICES_APPOINTMENTS_PG_CATALOG_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clinic/appointments/v1/appointments.pb.h"
#include "services/appointments/catalog_store.h"
#include "services/appointments/store.h"
#include "services/common/db/pool.h"

namespace clinic::appointments {

class PgCatalogStore : public CatalogStore {
 public:
  // `pool` must outlive the store.
  explicit PgCatalogStore(db::Pool* pool) : pool_(pool) {}

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

 private:
  db::Pool* pool_;
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_PG_CATALOG_STORE_H_
