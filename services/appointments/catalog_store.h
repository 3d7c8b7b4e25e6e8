// Storage of the catalog availability is computed from: locations,
// appointment types, therapists' schedules and credentials. Types: store.h.
#ifndef CLINIC_SERVICES_APPOINTMENTS_CATALOG_STORE_H_
#define CLINIC_SERVICES_APPOINTMENTS_CATALOG_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clinic/appointments/v1/appointments.pb.h"
#include "services/appointments/store.h"

namespace clinic::appointments {

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;

  // Locations. NOT_FOUND if missing; Update: ABORTED if the etag is stale.
  virtual absl::StatusOr<v1::Location> GetLocation(const std::string& id) = 0;
  virtual absl::StatusOr<PageOf<v1::Location>> ListLocations(
      const Page& page) = 0;
  virtual absl::StatusOr<v1::Location> CreateLocation(
      const v1::Location& location, const RequestKey& key) = 0;
  virtual absl::StatusOr<v1::Location> UpdateLocation(
      const std::string& id, const v1::Location& location) = 0;

  // Appointment types, likewise.
  virtual absl::StatusOr<v1::AppointmentType> GetType(
      const std::string& id) = 0;
  virtual absl::StatusOr<PageOf<v1::AppointmentType>> ListTypes(
      const Page& page, bool show_inactive) = 0;
  virtual absl::StatusOr<v1::AppointmentType> CreateType(
      const v1::AppointmentType& type, const RequestKey& key) = 0;
  virtual absl::StatusOr<v1::AppointmentType> UpdateType(
      const std::string& id, const v1::AppointmentType& type) = 0;

  // Schedules. Get returns an empty schedule (etag "") if none was saved.
  virtual absl::StatusOr<ScheduleRecord> GetSchedule(
      const std::string& therapist) = 0;
  // Schedules whose hours mention any of the locations.
  virtual absl::StatusOr<std::vector<ScheduleRecord>> ListSchedulesAt(
      const std::vector<std::string>& location_ids) = 0;
  // Saves `schedule` if its etag is current ("" when none exists yet):
  // ABORTED otherwise. `location_ids`: the locations it mentions.
  virtual absl::StatusOr<v1::ProviderSchedule> SaveSchedule(
      const std::string& therapist, const v1::ProviderSchedule& schedule,
      const std::vector<std::string>& location_ids) = 0;
  // Records the therapist's credentials (nullopt: unknown).
  virtual absl::Status SetCredentials(
      const std::string& therapist,
      const std::optional<std::vector<std::string>>& credentials) = 0;
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_CATALOG_STORE_H_
