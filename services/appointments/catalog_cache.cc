#include "services/appointments/catalog_cache.h"

#include <utility>

#include "absl/strings/str_join.h"

namespace clinic::appointments {

CachingCatalogStore::CachingCatalogStore(CatalogStore* base, absl::Duration ttl,
                                         std::function<absl::Time()> clock)
    : base_(base), ttl_(ttl), clock_(std::move(clock)) {}

template <typename T, typename Load>
absl::StatusOr<T> CachingCatalogStore::Read(Table<T>& table,
                                            const std::string& key, Load load) {
  if (ttl_ <= absl::ZeroDuration()) return load();
  const absl::Time now = clock_();
  {
    absl::MutexLock lock(&mu_);
    auto it = table.find(key);
    if (it != table.end() && it->second.until > now) return it->second.value;
  }
  absl::StatusOr<T> loaded = load();
  if (loaded.ok()) {
    absl::MutexLock lock(&mu_);
    table[key] = Entry<T>{*loaded, now + ttl_};
  }
  return loaded;
}

void CachingCatalogStore::Clear() {
  absl::MutexLock lock(&mu_);
  locations_.clear();
  types_.clear();
  schedules_.clear();
  schedules_at_.clear();
}

void CachingCatalogStore::DropSchedules(const std::string& therapist) {
  absl::MutexLock lock(&mu_);
  schedules_.erase(therapist);
  schedules_at_.clear();
}

absl::StatusOr<v1::Location> CachingCatalogStore::GetLocation(
    const std::string& id) {
  return Read(locations_, id, [&] { return base_->GetLocation(id); });
}

absl::StatusOr<PageOf<v1::Location>> CachingCatalogStore::ListLocations(
    const Page& page) {
  return base_->ListLocations(page);
}

absl::StatusOr<v1::Location> CachingCatalogStore::CreateLocation(
    const v1::Location& location, const RequestKey& key) {
  return base_->CreateLocation(location, key);
}

absl::StatusOr<v1::Location> CachingCatalogStore::UpdateLocation(
    const std::string& id, const v1::Location& location) {
  absl::StatusOr<v1::Location> updated = base_->UpdateLocation(id, location);
  absl::MutexLock lock(&mu_);
  locations_.erase(id);
  return updated;
}

absl::StatusOr<v1::AppointmentType> CachingCatalogStore::GetType(
    const std::string& id) {
  return Read(types_, id, [&] { return base_->GetType(id); });
}

absl::StatusOr<PageOf<v1::AppointmentType>> CachingCatalogStore::ListTypes(
    const Page& page, bool show_inactive) {
  return base_->ListTypes(page, show_inactive);
}

absl::StatusOr<v1::AppointmentType> CachingCatalogStore::CreateType(
    const v1::AppointmentType& type, const RequestKey& key) {
  return base_->CreateType(type, key);
}

absl::StatusOr<v1::AppointmentType> CachingCatalogStore::UpdateType(
    const std::string& id, const v1::AppointmentType& type) {
  absl::StatusOr<v1::AppointmentType> updated = base_->UpdateType(id, type);
  absl::MutexLock lock(&mu_);
  types_.erase(id);
  return updated;
}

absl::StatusOr<ScheduleRecord> CachingCatalogStore::GetSchedule(
    const std::string& therapist) {
  return Read(schedules_, therapist,
              [&] { return base_->GetSchedule(therapist); });
}

absl::StatusOr<std::vector<ScheduleRecord>>
CachingCatalogStore::ListSchedulesAt(
    const std::vector<std::string>& location_ids) {
  return Read(schedules_at_, absl::StrJoin(location_ids, ","),
              [&] { return base_->ListSchedulesAt(location_ids); });
}

absl::StatusOr<v1::ProviderSchedule> CachingCatalogStore::SaveSchedule(
    const std::string& therapist, const v1::ProviderSchedule& schedule,
    const std::vector<std::string>& location_ids) {
  absl::StatusOr<v1::ProviderSchedule> saved =
      base_->SaveSchedule(therapist, schedule, location_ids);
  DropSchedules(therapist);
  return saved;
}

absl::Status CachingCatalogStore::SetCredentials(
    const std::string& therapist,
    const std::optional<std::vector<std::string>>& credentials) {
  absl::Status set = base_->SetCredentials(therapist, credentials);
  DropSchedules(therapist);
  return set;
}

}  // namespace clinic::appointments
