#include "services/therapy_plans/pg_store.h"

#include <pqxx/pqxx>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/db/idempotency.h"
#include "services/common/db/migrations.h"
#include "services/common/db/request_key.h"
#include "services/common/text/text.h"
#include "services/common/time/timestamps.h"
#include "services/therapy_plans/migrations.h"
#include "services/therapy_plans/visits.h"

namespace clinic::therapy_plans {
namespace {

#define MICROS(col) "(extract(epoch FROM " col ") * 1000000)::bigint"

constexpr char kColumns[] =
    "id::text, patient, therapist, state, encode(body, 'hex'), "
    "version, " MICROS("create_time") ", " MICROS("update_time") ", updated_by";

const std::string kInsertSql = absl::StrCat(
    "INSERT INTO therapy_plans.plans (patient, therapist, start_date, body,"
    " updated_by) VALUES ($1, $2, $3::date, decode($4, 'hex'), $5)"
    " RETURNING ",
    kColumns);
const std::string kGetSql = absl::StrCat(
    "SELECT ", kColumns, " FROM therapy_plans.plans WHERE id = $1");
const std::string kLockSql = absl::StrCat(
    "SELECT ", kColumns, " FROM therapy_plans.plans WHERE id = $1 FOR UPDATE");
const std::string kByPatientSql =
    absl::StrCat("SELECT ", kColumns,
                 " FROM therapy_plans.plans WHERE patient = $1"
                 " ORDER BY create_time DESC, id LIMIT 200");
const std::string kCaseloadSql = absl::StrCat(
    "SELECT ", kColumns,
    " FROM therapy_plans.plans WHERE therapist = $1 AND state IN (2, 3)"
    " ORDER BY start_date, id LIMIT 2000");
// Keeps the current row as a version, then writes the next one.
constexpr char kKeepVersionSql[] =
    "INSERT INTO therapy_plans.plan_versions (plan_id, version, body, state,"
    " staff, time) SELECT id, version, body, state, updated_by, update_time"
    " FROM therapy_plans.plans WHERE id = $1";
constexpr char kUpdateSql[] =
    "UPDATE therapy_plans.plans SET therapist = $2, state = $3,"
    " start_date = $4::date, body = decode($5, 'hex'), updated_by = $6,"
    " update_time = now(), version = version + 1 WHERE id = $1";
constexpr char kVersionsSql[] =
    "SELECT version, encode(body, 'hex'), state, staff, " MICROS(
        "time") " FROM therapy_plans.plan_versions WHERE plan_id = $1"
                " ORDER BY version DESC";

#undef MICROS

const db::RequestLog& Requests() {
  static const auto* const kLog = new db::RequestLog(kSchema);
  return *kLog;
}

std::string Unhex(const std::string& hex) {
  return absl::HexStringToBytes(hex);
}

// The stored body: the content only (what the columns hold is cleared).
std::string Body(const v1::TherapyPlan& p) {
  v1::TherapyPlan b = p;
  b.clear_name();
  b.clear_state();
  b.clear_version();
  b.clear_create_time();
  b.clear_update_time();
  b.clear_updated_by();
  b.clear_etag();
  b.clear_visits();
  b.clear_alerts();
  return db::HexEncode(b.SerializeAsString());
}

std::string StartDate(const v1::TherapyPlan& p) {
  const absl::CivilDay d = ToDay(p.start_date());
  return absl::StrCat(absl::FormatCivilTime(d));
}

v1::TherapyPlan FromRow(const pqxx::row& r) {
  v1::TherapyPlan p;
  p.ParseFromString(Unhex(r[4].c_str()));
  p.set_name(absl::StrCat("therapyPlans/", r[0].c_str()));
  p.set_patient(r[1].c_str());
  p.set_therapist(r[2].c_str());
  p.set_state(static_cast<v1::PlanState>(r[3].as<int>()));
  p.set_version(r[5].as<int>());
  p.set_etag(r[5].c_str());
  *p.mutable_create_time() =
      time::ToTimestamp(absl::FromUnixMicros(r[6].as<int64_t>()));
  *p.mutable_update_time() =
      time::ToTimestamp(absl::FromUnixMicros(r[7].as<int64_t>()));
  p.set_updated_by(r[8].c_str());
  return p;
}

absl::StatusOr<v1::TherapyPlan> GetIn(pqxx::work& w, const std::string& sql,
                                      const std::string& id) {
  pqxx::result r = w.exec_params(sql, id);
  if (r.empty()) return absl::NotFoundError("that plan of care does not exist");
  return FromRow(r[0]);
}

}  // namespace

absl::Status MigrateTherapyPlans(const std::string& conninfo) {
  std::vector<db::Migration> migrations = Migrations();
  migrations.push_back(
      audit::AuditEventsMigration(kSchema, "0002_audit_events.sql"));
  return db::ApplyMigrations(conninfo, kSchema, migrations);
}

void PgPlanStore::RecordOk(pqxx::work& w, Audit audit,
                           const std::string& resource,
                           const std::vector<std::string>& resources) const {
  if (audit != nullptr) audit_log_.Record(w, *audit, resource, resources, "OK");
}

absl::Status PgPlanStore::RecordFailure(const audit::AuditContext& audit,
                                        const std::string& resource,
                                        const std::string& outcome) {
  return audit_log_.RecordAlone(audit, resource, outcome);
}

absl::StatusOr<audit::v1::ListAuditEventsResponse> PgPlanStore::ListAuditEvents(
    const audit::v1::ListAuditEventsRequest& request) {
  return audit_log_.List(request);
}

absl::StatusOr<v1::TherapyPlan> PgPlanStore::Create(const v1::TherapyPlan& p,
                                                    const std::string& staff,
                                                    const RequestKey& key,
                                                    Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::TherapyPlan> {
    absl::StatusOr<std::optional<std::string>> prior = Requests().Find(w, key);
    if (!prior.ok()) return prior.status();
    if (prior->has_value()) {
      absl::StatusOr<v1::TherapyPlan> again =
          GetIn(w, kGetSql, text::IdOf(**prior));
      if (again.ok()) RecordOk(w, audit, again->name(), {again->patient()});
      return again;
    }
    pqxx::result r = w.exec_params(kInsertSql, p.patient(), p.therapist(),
                                   StartDate(p), Body(p), staff);
    v1::TherapyPlan created = FromRow(r[0]);
    Requests().Save(w, key, created.name());
    RecordOk(w, audit, created.name(), {created.patient()});
    return created;
  });
}

absl::StatusOr<v1::TherapyPlan> PgPlanStore::Get(const std::string& id,
                                                 Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::TherapyPlan> {
    absl::StatusOr<v1::TherapyPlan> p = GetIn(w, kGetSql, id);
    if (p.ok()) RecordOk(w, audit, p->name(), {p->patient()});
    return p;
  });
}

absl::StatusOr<std::vector<v1::TherapyPlan>> PgPlanStore::ListForPatient(
    const std::string& patient, Audit audit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<std::vector<v1::TherapyPlan>> {
        std::vector<v1::TherapyPlan> out;
        for (const pqxx::row& r : w.exec_params(kByPatientSql, patient)) {
          out.push_back(FromRow(r));
        }
        RecordOk(w, audit, patient, {patient});
        return out;
      });
}

absl::StatusOr<std::vector<v1::TherapyPlan>> PgPlanStore::Caseload(
    const std::string& therapist, Audit audit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<std::vector<v1::TherapyPlan>> {
        std::vector<v1::TherapyPlan> out;
        std::vector<std::string> patients;
        for (const pqxx::row& r : w.exec_params(kCaseloadSql, therapist)) {
          out.push_back(FromRow(r));
          if (patients.size() < audit::kMaxResources) {
            patients.push_back(out.back().patient());
          }
        }
        RecordOk(w, audit, "therapyPlans", patients);
        return out;
      });
}

absl::StatusOr<v1::TherapyPlan> PgPlanStore::Update(const std::string& id,
                                                    const std::string& etag,
                                                    const std::string& staff,
                                                    const Change& change,
                                                    Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::TherapyPlan> {
    absl::StatusOr<v1::TherapyPlan> current = GetIn(w, kLockSql, id);
    if (!current.ok()) return current.status();
    if (!etag.empty() && etag != current->etag()) {
      return absl::AbortedError(
          "someone else changed this plan since it was read; reload it and "
          "try again");
    }
    v1::TherapyPlan next = *current;
    if (absl::Status s = change(next); !s.ok()) return s;
    w.exec_params(kKeepVersionSql, id);
    w.exec_params(kUpdateSql, id, next.therapist(),
                  static_cast<int>(next.state()), StartDate(next), Body(next),
                  staff);
    absl::StatusOr<v1::TherapyPlan> saved = GetIn(w, kGetSql, id);
    if (saved.ok()) RecordOk(w, audit, saved->name(), {saved->patient()});
    return saved;
  });
}

absl::StatusOr<std::vector<v1::PlanVersion>> PgPlanStore::Versions(
    const std::string& id, Audit audit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<std::vector<v1::PlanVersion>> {
        absl::StatusOr<v1::TherapyPlan> current = GetIn(w, kGetSql, id);
        if (!current.ok()) return current.status();
        std::vector<v1::PlanVersion> out;
        for (const pqxx::row& r : w.exec_params(kVersionsSql, id)) {
          v1::PlanVersion& v = out.emplace_back();
          v.set_version(r[0].as<int>());
          v1::TherapyPlan* p = v.mutable_plan();
          p->ParseFromString(Unhex(r[1].c_str()));
          p->set_name(current->name());
          p->set_patient(current->patient());
          p->set_state(static_cast<v1::PlanState>(r[2].as<int>()));
          p->set_version(v.version());
          v.set_staff(r[3].c_str());
          *v.mutable_time() =
              time::ToTimestamp(absl::FromUnixMicros(r[4].as<int64_t>()));
        }
        RecordOk(w, audit, current->name(), {current->patient()});
        return out;
      });
}

absl::StatusOr<std::optional<std::string>> PgPlanStore::FindSeries(
    const RequestKey& key) {
  return pool_->Transact(
      [&](pqxx::work& w) { return Requests().Find(w, key); });
}

absl::Status PgPlanStore::SaveSeries(const RequestKey& key,
                                     const std::string& plan_name,
                                     const std::string& answer, Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> prior = Requests().Find(w, key);
    if (!prior.ok()) return prior.status();
    if (!prior->has_value()) Requests().Save(w, key, answer);
    RecordOk(w, audit, plan_name, {});
    return absl::OkStatus();
  });
}

}  // namespace clinic::therapy_plans
