#include "services/appointments/pg_catalog_store.h"

#include <google/protobuf/struct.pb.h>

#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/appointments/pg_rows.h"
#include "services/appointments/validation.h"
#include "services/common/text/text.h"

namespace clinic::appointments {
namespace {

using pg::FromJson;
using pg::FromMicros;
using pg::JsonArray;
using pg::Requests;
using pg::ToJson;

// ---- Every query the store runs, by name (how instants travel: see
// pg_rows.h).

// Locations.
constexpr char kLocationColumns[] =
    "id::text, display_name, time_zone, slot_minutes, body::text,"
    " (extract(epoch FROM create_time) * 1000000)::bigint, (extract(epoch FROM "
    "update_time) * 1000000)::bigint,"
    " version, lower(display_name)";
const std::string kGetLocationSql = absl::StrCat(
    "SELECT ", kLocationColumns, " FROM appointments.locations WHERE id = $1");
// $1 has cursor, $2 lower(display_name), $3 id, $4 limit.
const std::string kListLocationsSql = absl::StrCat(
    "SELECT ", kLocationColumns,
    " FROM appointments.locations"
    " WHERE NOT $1 OR (lower(display_name), id) > ($2, NULLIF($3, '')::uuid)"
    " ORDER BY lower(display_name), id LIMIT $4");
const std::string kInsertLocationSql = absl::StrCat(
    "INSERT INTO appointments.locations (display_name, time_zone,"
    " slot_minutes, body) VALUES ($1, $2, $3, $4::jsonb) RETURNING ",
    kLocationColumns);
// $5 id, $6 expected version.
const std::string kUpdateLocationSql = absl::StrCat(
    "UPDATE appointments.locations SET display_name = $1, time_zone = $2,"
    " slot_minutes = $3, body = $4::jsonb, update_time = now(),"
    " version = version + 1 WHERE id = $5 AND version = $6 RETURNING ",
    kLocationColumns);
constexpr char kLocationVersionSql[] =
    "SELECT version FROM appointments.locations WHERE id = $1";

// Appointment types.
constexpr char kTypeColumns[] =
    "id::text, display_name, body::text, active, version, lower(display_name)";
const std::string kGetTypeSql =
    absl::StrCat("SELECT ", kTypeColumns,
                 " FROM appointments.appointment_types WHERE id = $1");
// $1 show inactive, $2 has cursor, $3 lower(display_name), $4 id, $5 limit.
const std::string kListTypesSql = absl::StrCat(
    "SELECT ", kTypeColumns,
    " FROM appointments.appointment_types WHERE ($1 OR active)"
    " AND (NOT $2 OR (lower(display_name), id) > ($3, NULLIF($4, '')::uuid))"
    " ORDER BY lower(display_name), id LIMIT $5");
const std::string kInsertTypeSql = absl::StrCat(
    "INSERT INTO appointments.appointment_types (display_name, body)"
    " VALUES ($1, $2::jsonb) RETURNING ",
    kTypeColumns);
// $3 active, $4 id, $5 expected version.
const std::string kUpdateTypeSql = absl::StrCat(
    "UPDATE appointments.appointment_types SET display_name = $1,"
    " body = $2::jsonb, active = $3, update_time = now(),"
    " version = version + 1 WHERE id = $4 AND version = $5 RETURNING ",
    kTypeColumns);
constexpr char kTypeVersionSql[] =
    "SELECT version FROM appointments.appointment_types WHERE id = $1";

// Schedules.
constexpr char kScheduleColumns[] =
    "therapist, body::text, COALESCE(credentials::text, ''), version";
const std::string kGetScheduleSql =
    absl::StrCat("SELECT ", kScheduleColumns,
                 " FROM appointments.provider_schedules WHERE therapist = $1");
// $1 a JSON array of location ids.
const std::string kSchedulesAtSql = absl::StrCat(
    "SELECT ", kScheduleColumns,
    " FROM appointments.provider_schedules WHERE location_ids && ARRAY("
    "SELECT jsonb_array_elements_text($1::jsonb)::uuid) ORDER BY therapist");
// $1 therapist, $2 body, $3 JSON array of location ids.
const std::string kInsertScheduleSql = absl::StrCat(
    "INSERT INTO appointments.provider_schedules (therapist, body,"
    " location_ids) VALUES ($1, $2::jsonb,"
    " ARRAY(SELECT jsonb_array_elements_text($3::jsonb)::uuid))"
    " ON CONFLICT (therapist) DO NOTHING RETURNING ",
    kScheduleColumns);
// $4 expected version.
const std::string kUpdateScheduleSql = absl::StrCat(
    "UPDATE appointments.provider_schedules SET body = $2::jsonb,"
    " location_ids = ARRAY(SELECT jsonb_array_elements_text($3::jsonb)::uuid),"
    " update_time = now(), version = version + 1"
    " WHERE therapist = $1 AND version = $4 RETURNING ",
    kScheduleColumns);
// $2 JSON array or '' (unknown).
constexpr char kSetCredentialsSql[] =
    "INSERT INTO appointments.provider_schedules (therapist, credentials)"
    " VALUES ($1, NULLIF($2, '')::jsonb) ON CONFLICT (therapist) DO UPDATE"
    " SET credentials = EXCLUDED.credentials";

// ---- Rows.

std::vector<std::string> ParseJsonArray(const std::string& json) {
  google::protobuf::ListValue list;
  FromJson(json, &list);
  std::vector<std::string> out;
  for (const auto& v : list.values()) out.push_back(v.string_value());
  return out;
}

v1::Location LocationFromRow(const pqxx::row& r) {
  v1::Location l;
  FromJson(r[4].c_str(), &l);
  l.set_name(absl::StrCat("locations/", r[0].c_str()));
  l.set_display_name(r[1].c_str());
  l.set_time_zone(r[2].c_str());
  l.set_slot_minutes(r[3].as<int>());
  *l.mutable_create_time() = ToProto(FromMicros(r[5].as<int64_t>()));
  *l.mutable_update_time() = ToProto(FromMicros(r[6].as<int64_t>()));
  l.set_etag(r[7].c_str());
  return l;
}

// The stored body: the message without name, etag and times.
std::string LocationBody(v1::Location l) {
  l.clear_name();
  l.clear_etag();
  l.clear_create_time();
  l.clear_update_time();
  return ToJson(l);
}

v1::AppointmentType TypeFromRow(const pqxx::row& r) {
  v1::AppointmentType t;
  FromJson(r[2].c_str(), &t);
  t.set_name(absl::StrCat("appointmentTypes/", r[0].c_str()));
  t.set_display_name(r[1].c_str());
  t.set_active(r[3].as<bool>());
  t.set_etag(r[4].c_str());
  return t;
}

std::string TypeBody(v1::AppointmentType t) {
  t.clear_name();
  t.clear_etag();
  t.clear_active();
  return ToJson(t);
}

ScheduleRecord ScheduleFromRow(const pqxx::row& r) {
  ScheduleRecord s;
  s.therapist = r[0].c_str();
  FromJson(r[1].c_str(), &s.schedule);
  s.schedule.set_name(absl::StrCat(s.therapist, "/schedule"));
  s.schedule.set_etag(r[3].c_str());
  const std::string credentials = r[2].c_str();
  if (!credentials.empty()) s.credentials = ParseJsonArray(credentials);
  return s;
}

std::string ScheduleBody(v1::ProviderSchedule s) {
  s.clear_name();
  s.clear_etag();
  return ToJson(s);
}
}  // namespace

// ---- Locations.

absl::StatusOr<v1::Location> PgCatalogStore::GetLocation(
    const std::string& id) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Location> {
    pqxx::result r = w.exec_params(kGetLocationSql, id);
    if (r.empty()) {
      return absl::NotFoundError("that location does not exist");
    }
    return LocationFromRow(r[0]);
  });
}

absl::StatusOr<PageOf<v1::Location>> PgCatalogStore::ListLocations(
    const Page& page) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<PageOf<v1::Location>> {
        const bool has = page.after.size() == 2;
        pqxx::result rows =
            w.exec_params(kListLocationsSql, has, has ? page.after[0] : "",
                          has ? page.after[1] : "", page.size + 1);
        PageOf<v1::Location> out;
        for (int i = 0; i < static_cast<int>(rows.size()) && i < page.size;
             ++i) {
          out.items.push_back(LocationFromRow(rows[i]));
        }
        if (static_cast<int>(rows.size()) > page.size) {
          const pqxx::row& last = rows[page.size - 1];
          out.next = {last[8].c_str(), last[0].c_str()};
        }
        return out;
      });
}

absl::StatusOr<v1::Location> PgCatalogStore::CreateLocation(
    const v1::Location& l, const RequestKey& key) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Location> {
    absl::StatusOr<std::optional<std::string>> prior = Requests().Find(w, key);
    if (!prior.ok()) return prior.status();
    if (prior->has_value()) {
      pqxx::result r = w.exec_params(kGetLocationSql, text::IdOf(**prior));
      if (r.empty()) return absl::NotFoundError(**prior + " not found");
      return LocationFromRow(r[0]);
    }
    pqxx::result r =
        w.exec_params(kInsertLocationSql, l.display_name(), l.time_zone(),
                      l.slot_minutes(), LocationBody(l));
    v1::Location created = LocationFromRow(r[0]);
    Requests().Save(w, key, created.name());
    return created;
  });
}

absl::StatusOr<v1::Location> PgCatalogStore::UpdateLocation(
    const std::string& id, const v1::Location& l) {
  int64_t version = 0;
  if (!absl::SimpleAtoi(l.etag(), &version)) {
    return absl::AbortedError(
        "someone else changed this location since it was read; reload it and "
        "try again");
  }
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Location> {
    pqxx::result r =
        w.exec_params(kUpdateLocationSql, l.display_name(), l.time_zone(),
                      l.slot_minutes(), LocationBody(l), id, version);
    if (!r.empty()) return LocationFromRow(r[0]);
    if (w.exec_params(kLocationVersionSql, id).empty()) {
      return absl::NotFoundError("that location does not exist");
    }
    return absl::AbortedError(
        "someone else changed this location since it was read; reload it "
        "and try again");
  });
}

// ---- Appointment types.

absl::StatusOr<v1::AppointmentType> PgCatalogStore::GetType(
    const std::string& id) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<v1::AppointmentType> {
        pqxx::result r = w.exec_params(kGetTypeSql, id);
        if (r.empty()) {
          return absl::NotFoundError("that appointment type does not exist");
        }
        return TypeFromRow(r[0]);
      });
}

absl::StatusOr<PageOf<v1::AppointmentType>> PgCatalogStore::ListTypes(
    const Page& page, bool show_inactive) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<PageOf<v1::AppointmentType>> {
        const bool has = page.after.size() == 2;
        pqxx::result rows = w.exec_params(
            kListTypesSql, show_inactive, has, has ? page.after[0] : "",
            has ? page.after[1] : "", page.size + 1);
        PageOf<v1::AppointmentType> out;
        for (int i = 0; i < static_cast<int>(rows.size()) && i < page.size;
             ++i) {
          out.items.push_back(TypeFromRow(rows[i]));
        }
        if (static_cast<int>(rows.size()) > page.size) {
          const pqxx::row& last = rows[page.size - 1];
          out.next = {last[5].c_str(), last[0].c_str()};
        }
        return out;
      });
}

absl::StatusOr<v1::AppointmentType> PgCatalogStore::CreateType(
    const v1::AppointmentType& t, const RequestKey& key) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<v1::AppointmentType> {
        absl::StatusOr<std::optional<std::string>> prior =
            Requests().Find(w, key);
        if (!prior.ok()) return prior.status();
        if (prior->has_value()) {
          pqxx::result r = w.exec_params(kGetTypeSql, text::IdOf(**prior));
          if (r.empty()) return absl::NotFoundError(**prior + " not found");
          return TypeFromRow(r[0]);
        }
        pqxx::result r =
            w.exec_params(kInsertTypeSql, t.display_name(), TypeBody(t));
        v1::AppointmentType created = TypeFromRow(r[0]);
        Requests().Save(w, key, created.name());
        return created;
      });
}

absl::StatusOr<v1::AppointmentType> PgCatalogStore::UpdateType(
    const std::string& id, const v1::AppointmentType& t) {
  int64_t version = 0;
  if (!absl::SimpleAtoi(t.etag(), &version)) {
    return absl::AbortedError(
        "someone else changed this appointment type since it was read; "
        "reload it and try again");
  }
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<v1::AppointmentType> {
        pqxx::result r = w.exec_params(kUpdateTypeSql, t.display_name(),
                                       TypeBody(t), t.active(), id, version);
        if (!r.empty()) return TypeFromRow(r[0]);
        if (w.exec_params(kTypeVersionSql, id).empty()) {
          return absl::NotFoundError("that appointment type does not exist");
        }
        return absl::AbortedError(
            "someone else changed this appointment type since it was read; "
            "reload it and try again");
      });
}

// ---- Schedules.

absl::StatusOr<ScheduleRecord> PgCatalogStore::GetSchedule(
    const std::string& therapist) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<ScheduleRecord> {
    pqxx::result r = w.exec_params(kGetScheduleSql, therapist);
    if (r.empty()) {
      ScheduleRecord empty;
      empty.therapist = therapist;
      empty.schedule.set_name(absl::StrCat(therapist, "/schedule"));
      return empty;
    }
    return ScheduleFromRow(r[0]);
  });
}

absl::StatusOr<std::vector<ScheduleRecord>> PgCatalogStore::ListSchedulesAt(
    const std::vector<std::string>& location_ids) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<std::vector<ScheduleRecord>> {
        std::vector<ScheduleRecord> out;
        for (const pqxx::row& row :
             w.exec_params(kSchedulesAtSql, JsonArray(location_ids))) {
          out.push_back(ScheduleFromRow(row));
        }
        return out;
      });
}

absl::StatusOr<v1::ProviderSchedule> PgCatalogStore::SaveSchedule(
    const std::string& therapist, const v1::ProviderSchedule& schedule,
    const std::vector<std::string>& location_ids) {
  int64_t version = 0;
  if (!schedule.etag().empty() &&
      !absl::SimpleAtoi(schedule.etag(), &version)) {
    return absl::AbortedError(
        "someone else changed this schedule since it was read; reload it and "
        "try again");
  }
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<v1::ProviderSchedule> {
        pqxx::result r =
            schedule.etag().empty()
                ? w.exec_params(kInsertScheduleSql, therapist,
                                ScheduleBody(schedule), JsonArray(location_ids))
                : w.exec_params(kUpdateScheduleSql, therapist,
                                ScheduleBody(schedule), JsonArray(location_ids),
                                version);
        if (r.empty()) {
          return absl::AbortedError(
              "someone else changed this schedule since it was read; reload "
              "it and try again");
        }
        return ScheduleFromRow(r[0]).schedule;
      });
}

absl::Status PgCatalogStore::SetCredentials(
    const std::string& therapist,
    const std::optional<std::vector<std::string>>& credentials) {
  return pool_->Transact([&](pqxx::work& w) -> absl::Status {
    w.exec_params(kSetCredentialsSql, therapist,
                  credentials ? JsonArray(*credentials) : "");
    return absl::OkStatus();
  });
}

}  // namespace clinic::appointments
