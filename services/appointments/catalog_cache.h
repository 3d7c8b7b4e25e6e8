// A CatalogStore that keeps what availability and booking read on every call
// (appointment types, locations, schedules) in memory.
//
// Writes go through it and drop what they change, so within one process a
// read after a write sees the write. Another replica's write is seen within
// `ttl` (the bound, stated in README.md). Paged lists are not cached. Errors
// are not cached. Double booking does not depend on it: the database's
// exclusion constraints and the claim checks run on every booking.
#ifndef CLINIC_SERVICES_APPOINTMENTS_CATALOG_CACHE_H_
#define CLINIC_SERVICES_APPOINTMENTS_CATALOG_CACHE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/appointments/catalog_store.h"

namespace clinic::appointments {

class CachingCatalogStore : public CatalogStore {
 public:
  // `base` must outlive this. A zero `ttl` caches nothing.
  CachingCatalogStore(CatalogStore* base, absl::Duration ttl,
                      std::function<absl::Time()> clock = absl::Now);

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

  // Drops everything (e.g. after a migration or in tests).
  void Clear();

 private:
  template <typename T>
  struct Entry {
    T value;
    absl::Time until;
  };
  template <typename T>
  using Table = std::map<std::string, Entry<T>>;

  // The cached value of `key` in `table` if fresh, else load() (cached
  // when OK).
  template <typename T, typename Load>
  absl::StatusOr<T> Read(Table<T>& table, const std::string& key, Load load);
  void DropSchedules(const std::string& therapist);

  CatalogStore* base_;
  const absl::Duration ttl_;
  const std::function<absl::Time()> clock_;
  absl::Mutex mu_;
  Table<v1::Location> locations_ ABSL_GUARDED_BY(mu_);
  Table<v1::AppointmentType> types_ ABSL_GUARDED_BY(mu_);
  Table<ScheduleRecord> schedules_ ABSL_GUARDED_BY(mu_);
  // By the location ids searched, joined with ",".
  Table<std::vector<ScheduleRecord>> schedules_at_ ABSL_GUARDED_BY(mu_);
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_CATALOG_CACHE_H_
