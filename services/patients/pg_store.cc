#include "services/patients/pg_store.h"

#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/db/idempotency.h"
#include "services/common/db/migrations.h"
#include "services/common/db/params.h"
#include "services/common/text/text.h"
#include "services/common/time/timestamps.h"
#include "services/patients/migrations.h"
#include "services/patients/validation.h"

namespace clinic::patients {
namespace {

using v1::Patient;

// Every query the store runs, by name.
constexpr char kColumns[] =
    "id::text, given_name, family_name, preferred_name, birth_date::text, "
    "sex_at_birth, phone, email, has_address, address_line1, address_line2, "
    "address_city, address_region, address_postal_code, address_country_code, "
    "preferred_contact_method, has_emergency_contact, emergency_name, "
    "emergency_relationship, emergency_phone, notes, state, "
    "(extract(epoch FROM create_time) * 1000000)::bigint, "
    "(extract(epoch FROM update_time) * 1000000)::bigint, "
    "COALESCE((extract(epoch FROM archive_time) * 1000000)::bigint, 0), "
    "version, lower(family_name), lower(given_name), email_opt_out, "
    "reminders_opt_out";
constexpr int kFamilyKeyColumn = 26;
constexpr int kGivenKeyColumn = 27;

const std::string kGetSql =
    absl::StrCat("SELECT ", kColumns, " FROM patients.patients WHERE id = $1");

// The filters of ListPatients: $1 show_archived, $2 name prefix
// (LIKE-escaped; accents and case ignored, patients.fold), $3 phone, $4
// email, $5 birth date or '', $11 the last digits of the phone or ''.
constexpr char kListFilters[] =
    " ($1 OR state = 1)"
    " AND ($2 = '' OR patients.fold(family_name) LIKE patients.fold($2) || '%'"
    "      OR patients.fold(given_name) LIKE patients.fold($2) || '%'"
    "      OR (preferred_name <> '' AND"
    "          patients.fold(preferred_name) LIKE patients.fold($2) || '%')"
    "      OR patients.fold(given_name || ' ' || family_name)"
    "         LIKE patients.fold($2) || '%')"
    " AND ($3 = '' OR phone = $3)"
    " AND ($4 = '' OR (email <> '' AND lower(email) = lower($4)))"
    " AND (NULLIF($5, '') IS NULL OR birth_date = NULLIF($5, '')::date)"
    " AND ($11 = '' OR (phone <> '' AND reverse(phone) LIKE reverse($11) ||"
    "                   '%'))";

// Keyset paging and order: $6 has cursor, $7..$9 cursor, $10 limit.
constexpr char kListPage[] =
    " AND (NOT $6 OR (lower(family_name), lower(given_name), id) >"
    "                ($7, $8, NULLIF($9, '')::uuid))"
    " ORDER BY lower(family_name), lower(given_name), id"
    " LIMIT $10";

// Likely duplicates: $1 birth date, $2 phone, $3 email, $4 given name, $5
// family name, $6 an id to leave out (or ''). Columns after kColumns: same
// phone, same email, same name, similar name.
const std::string kSimilarSql = absl::StrCat(
    "SELECT ", kColumns,
    ", s.same_phone, s.same_email, s.same_name, s.similar_name"
    " FROM patients.patients,"
    " LATERAL (SELECT phone <> '' AND phone = $2 AS same_phone,"
    "   email <> '' AND lower(email) = lower($3) AS same_email,"
    "   patients.fold(family_name) = patients.fold($5) AND"
    "   patients.fold(given_name) = patients.fold($4) AS same_name,"
    "   patients.fold(family_name) = patients.fold($5) OR"
    "   (patients.fold(given_name) = patients.fold($4) AND"
    "    left(patients.fold(family_name), 1) = left(patients.fold($5), 1))"
    "   AS similar_name) s"
    " WHERE state = 1 AND birth_date = $1::date AND id::text <> $6"
    " AND (s.same_phone OR s.same_email OR s.similar_name)"
    " ORDER BY s.same_phone::int + s.same_email::int + s.same_name::int DESC,"
    " lower(family_name), lower(given_name), id LIMIT 10");

// Without a name prefix: walk the order index (patients_order_idx).
const std::string kListSql =
    absl::StrCat("SELECT ", kColumns, " FROM patients.patients WHERE",
                 kListFilters, kListPage);

// With a name prefix: the matches come from the four prefix indexes
// (a BitmapOr), then are sorted. Without MATERIALIZED the planner walks the
// order index instead and filters nearly every row (20x slower at 20,000
// patients; see tests/bench).
const std::string kListByNameSql = absl::StrCat(
    "WITH m AS MATERIALIZED (SELECT * FROM patients.patients WHERE",
    kListFilters, ") SELECT ", kColumns, " FROM m WHERE true", kListPage);

// $1..$22: the stored fields, in the order ExecWithFields passes them.
constexpr char kFieldParams[] =
    "given_name = $1, family_name = $2, preferred_name = $3, "
    "birth_date = $4::date, sex_at_birth = $5, phone = $6, email = $7, "
    "has_address = $8, address_line1 = $9, address_line2 = $10, "
    "address_city = $11, address_region = $12, address_postal_code = $13, "
    "address_country_code = $14, preferred_contact_method = $15, "
    "has_emergency_contact = $16, emergency_name = $17, "
    "emergency_relationship = $18, emergency_phone = $19, notes = $20, "
    "email_opt_out = $21, reminders_opt_out = $22";

const std::string kInsertSql = absl::StrCat(
    "INSERT INTO patients.patients (given_name, family_name, preferred_name, "
    "birth_date, sex_at_birth, phone, email, has_address, address_line1, "
    "address_line2, address_city, address_region, address_postal_code, "
    "address_country_code, preferred_contact_method, has_emergency_contact, "
    "emergency_name, emergency_relationship, emergency_phone, notes, "
    "email_opt_out, reminders_opt_out) "
    "VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
    "$14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING ",
    kColumns);

// $23 id, $24 expected version.
const std::string kUpdateSql =
    absl::StrCat("UPDATE patients.patients SET ", kFieldParams,
                 ", version = version + 1, update_time = now()"
                 " WHERE id = $23 AND version = $24 AND state = 1 RETURNING ",
                 kColumns);

constexpr char kVersionSql[] =
    "SELECT version, state FROM patients.patients WHERE id = $1";

const std::string kOptOutSql = absl::StrCat(
    "UPDATE patients.patients SET reminders_opt_out = true,"
    " version = version + CASE WHEN reminders_opt_out THEN 0 ELSE 1 END,"
    " update_time = now() WHERE id = $1 RETURNING ",
    kColumns);

const std::string kArchiveSql = absl::StrCat(
    "UPDATE patients.patients SET state = 2, archive_time = now(),"
    " update_time = now(), version = version + 1"
    " WHERE id = $1 AND state = 1 RETURNING ",
    kColumns);

constexpr char kLockBirthDateSql[] =
    "SELECT pg_advisory_xact_lock(hashtext('patients.person:' || $1))";
const std::string kFindPersonSql = absl::StrCat(
    "SELECT ", kColumns,
    ", ($2 <> '' AND email <> '' AND lower(email) = lower($2)) AS by_email"
    " FROM patients.patients"
    " WHERE state = 1 AND birth_date = $1::date"
    "   AND (($2 <> '' AND email <> '' AND lower(email) = lower($2))"
    "        OR ($3 <> '' AND phone = $3))"
    " ORDER BY by_email DESC, create_time LIMIT 1");

Patient FromRow(const pqxx::row& r) {
  Patient p;
  p.set_name(absl::StrCat("patients/", r[0].c_str()));
  p.set_given_name(r[1].c_str());
  p.set_family_name(r[2].c_str());
  p.set_preferred_name(r[3].c_str());
  std::vector<std::string> ymd = absl::StrSplit(r[4].c_str(), '-');
  int y = 0, m = 0, d = 0;
  if (ymd.size() == 3 && absl::SimpleAtoi(ymd[0], &y) &&
      absl::SimpleAtoi(ymd[1], &m) && absl::SimpleAtoi(ymd[2], &d)) {
    p.mutable_birth_date()->set_year(y);
    p.mutable_birth_date()->set_month(m);
    p.mutable_birth_date()->set_day(d);
  }
  p.set_sex_at_birth(static_cast<v1::SexAtBirth>(r[5].as<int>()));
  p.set_phone(r[6].c_str());
  p.set_email(r[7].c_str());
  if (r[8].as<bool>()) {
    v1::PostalAddress* a = p.mutable_address();
    a->set_line1(r[9].c_str());
    a->set_line2(r[10].c_str());
    a->set_city(r[11].c_str());
    a->set_region(r[12].c_str());
    a->set_postal_code(r[13].c_str());
    a->set_country_code(r[14].c_str());
  }
  p.set_preferred_contact_method(
      static_cast<v1::ContactMethod>(r[15].as<int>()));
  if (r[16].as<bool>()) {
    v1::EmergencyContact* e = p.mutable_emergency_contact();
    e->set_name(r[17].c_str());
    e->set_relationship(r[18].c_str());
    e->set_phone(r[19].c_str());
  }
  p.set_notes(r[20].c_str());
  p.set_state(static_cast<v1::PatientState>(r[21].as<int>()));
  *p.mutable_create_time() = time::TimestampFromMicros(r[22].as<int64_t>());
  *p.mutable_update_time() = time::TimestampFromMicros(r[23].as<int64_t>());
  if (int64_t archived = r[24].as<int64_t>(); archived != 0) {
    *p.mutable_archive_time() = time::TimestampFromMicros(archived);
  }
  p.set_etag(r[25].c_str());
  p.set_email_opt_out(r[28].as<bool>());
  p.set_reminders_opt_out(r[29].as<bool>());
  return p;
}

// Runs `sql` with $1..$22 = the patient's fields, then `extra`.
template <typename... Extra>
pqxx::result ExecWithFields(pqxx::work& w, const std::string& sql,
                            const Patient& p, const Extra&... extra) {
  const v1::PostalAddress& a = p.address();
  const v1::EmergencyContact& e = p.emergency_contact();
  return w.exec_params(
      sql, p.given_name(), p.family_name(), p.preferred_name(),
      FormatDate(p.birth_date()), static_cast<int>(p.sex_at_birth()), p.phone(),
      p.email(), p.has_address(), a.line1(), a.line2(), a.city(), a.region(),
      a.postal_code(), a.country_code(),
      static_cast<int>(p.preferred_contact_method()), p.has_emergency_contact(),
      e.name(), e.relationship(), e.phone(), p.notes(), p.email_opt_out(),
      p.reminders_opt_out(), extra...);
}

// Outcome of looking up a request_id inside a transaction.
// What an earlier call with the same request_id answered.
struct PriorRequest {
  bool found = false;
  std::string patient_id;
  bool created = false;
  int matched_on = 0;
};

// Results are "patients/{id} {created 0|1} {matched_on}".
const db::RequestLog& Requests() {
  static const auto* const kLog = new db::RequestLog("patients");
  return *kLog;
}

absl::StatusOr<PriorRequest> LockAndFindRequest(pqxx::work& w,
                                                const RequestKey& key) {
  absl::StatusOr<std::optional<std::string>> stored = Requests().Find(w, key);
  if (!stored.ok()) return stored.status();
  PriorRequest prior;
  if (!stored->has_value()) return prior;
  std::vector<std::string> parts = absl::StrSplit(**stored, ' ');
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[2], &prior.matched_on)) {
    return absl::InternalError("malformed stored request result");
  }
  prior.found = true;
  prior.patient_id = text::IdOf(parts[0]);
  prior.created = parts[1] == "1";
  return prior;
}

void SaveRequest(pqxx::work& w, const RequestKey& key,
                 const std::string& patient_name, bool created,
                 int matched_on) {
  Requests().Save(
      w, key,
      absl::StrCat(patient_name, " ", created ? 1 : 0, " ", matched_on));
}

absl::StatusOr<Patient> GetIn(pqxx::work& w, const std::string& id) {
  pqxx::result r = w.exec_params(kGetSql, id);
  if (r.empty()) {
    return absl::NotFoundError(absl::StrCat("patients/", id, " not found"));
  }
  return FromRow(r[0]);
}

// Why a conditional UPDATE changed no row.
absl::Status WhyNotUpdated(pqxx::work& w, const std::string& id,
                           const std::string& etag) {
  pqxx::result r = w.exec_params(kVersionSql, id);
  if (r.empty()) {
    return absl::NotFoundError(absl::StrCat("patients/", id, " not found"));
  }
  if (r[0][1].as<int>() == v1::PATIENT_STATE_ARCHIVED) {
    return absl::FailedPreconditionError(
        absl::StrCat("patients/", id, " is archived"));
  }
  return absl::AbortedError(absl::StrCat(
      "patients/", id, " changed since etag ", etag, " was read (now ",
      r[0][0].c_str(), "); read it again and retry"));
}

}  // namespace

absl::Status MigratePatients(const std::string& conninfo) {
  return db::ApplyMigrations(conninfo, kSchema, Migrations());
}

void PgPatientStore::RecordOk(pqxx::work& w, Audit audit,
                              const std::string& resource,
                              const std::vector<std::string>& resources) const {
  if (audit != nullptr) audit_log_.Record(w, *audit, resource, resources, "OK");
}

absl::Status PgPatientStore::RecordFailure(const audit::AuditContext& audit,
                                           const std::string& resource,
                                           const std::string& outcome) {
  return audit_log_.RecordAlone(audit, resource, outcome);
}

absl::StatusOr<audit::v1::ListAuditEventsResponse>
PgPatientStore::ListAuditEvents(
    const audit::v1::ListAuditEventsRequest& request) {
  return audit_log_.List(request);
}

absl::StatusOr<Patient> PgPatientStore::Get(const std::string& id,
                                            Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<Patient> {
    absl::StatusOr<Patient> p = GetIn(w, id);
    if (p.ok()) RecordOk(w, audit, p->name());
    return p;
  });
}

absl::StatusOr<std::vector<SimilarPatient>> PgPatientStore::FindSimilar(
    const v1::Patient& patient, const std::string& exclude_id, Audit audit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<std::vector<SimilarPatient>> {
        std::vector<SimilarPatient> out;
        std::vector<std::string> names;
        constexpr int kExtra = kGivenKeyColumn + 3;  // after the opt-outs
        for (const pqxx::row& r : w.exec_params(
                 kSimilarSql, FormatDate(patient.birth_date()), patient.phone(),
                 patient.email(), patient.given_name(), patient.family_name(),
                 exclude_id)) {
          SimilarPatient& s = out.emplace_back();
          s.patient = FromRow(r);
          s.same_phone = r[kExtra].as<bool>();
          s.same_email = r[kExtra + 1].as<bool>();
          s.same_name = r[kExtra + 2].as<bool>();
          s.similar_name = r[kExtra + 3].as<bool>();
          names.push_back(s.patient.name());
        }
        RecordOk(w, audit, "patients", names);
        return out;
      });
}

absl::StatusOr<std::vector<std::string>> PgPatientStore::Existing(
    const std::vector<std::string>& ids) {
  return pool_->Read(
      [&](pqxx::nontransaction& n) -> absl::StatusOr<std::vector<std::string>> {
        std::vector<std::string> out;
        for (const pqxx::row& r :
             n.exec_params("SELECT id::text FROM patients.patients"
                           " WHERE id = ANY ($1::uuid[])",
                           db::TextArray(ids))) {
          out.push_back(r[0].c_str());
        }
        return out;
      });
}

absl::StatusOr<Patient> PgPatientStore::OptOutOfReminders(const std::string& id,
                                                          Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<Patient> {
    pqxx::result r = w.exec_params(kOptOutSql, id);
    if (r.empty()) return absl::NotFoundError("that patient does not exist");
    Patient p = FromRow(r[0]);
    RecordOk(w, audit, p.name());
    return p;
  });
}

absl::StatusOr<ListResult> PgPatientStore::List(const ListQuery& q,
                                                Audit audit) {
  std::string prefix;
  for (char c : q.name_prefix) {
    if (c == '%' || c == '_' || c == '\\') prefix.push_back('\\');
    prefix.push_back(c);
  }
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<ListResult> {
    pqxx::result rows = w.exec_params(
        prefix.empty() ? kListSql : kListByNameSql, q.show_archived, prefix,
        q.phone, q.email, q.birth_date, q.after.has_value(),
        q.after ? q.after->family_key : "", q.after ? q.after->given_key : "",
        q.after ? q.after->id : "", q.page_size + 1, q.phone_suffix);
    ListResult result;
    for (int i = 0; i < static_cast<int>(rows.size()) && i < q.page_size; ++i) {
      result.patients.push_back(FromRow(rows[i]));
    }
    if (static_cast<int>(rows.size()) > q.page_size) {
      const pqxx::row& last = rows[q.page_size - 1];
      result.next = ListCursor{last[kFamilyKeyColumn].c_str(),
                               last[kGivenKeyColumn].c_str(), last[0].c_str()};
    }
    std::vector<std::string> names;
    for (const Patient& p : result.patients) names.push_back(p.name());
    RecordOk(w, audit, "patients", names);
    return result;
  });
}

absl::StatusOr<Patient> PgPatientStore::Create(const Patient& patient,
                                               const RequestKey& key,
                                               Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<Patient> {
    absl::StatusOr<PriorRequest> prior = LockAndFindRequest(w, key);
    if (!prior.ok()) return prior.status();
    if (prior->found) {
      absl::StatusOr<Patient> p = GetIn(w, prior->patient_id);
      if (p.ok()) RecordOk(w, audit, p->name());
      return p;
    }
    pqxx::result r = ExecWithFields(w, kInsertSql, patient);
    Patient created = FromRow(r[0]);
    SaveRequest(w, key, created.name(), true, 0);
    RecordOk(w, audit, created.name());
    return created;
  });
}

absl::StatusOr<Patient> PgPatientStore::Update(const std::string& id,
                                               const Patient& patient,
                                               Audit audit) {
  int64_t version = 0;
  if (!absl::SimpleAtoi(patient.etag(), &version)) {
    return absl::AbortedError(
        absl::StrCat("patients/", id, ": etag ", patient.etag(),
                     " is not current; read the patient again and retry"));
  }
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<Patient> {
    pqxx::result r = ExecWithFields(w, kUpdateSql, patient, id, version);
    if (r.empty()) return WhyNotUpdated(w, id, patient.etag());
    Patient updated = FromRow(r[0]);
    RecordOk(w, audit, updated.name());
    return updated;
  });
}

absl::StatusOr<FindOrCreateResult> PgPatientStore::FindOrCreate(
    const Patient& patient, const RequestKey& key, Audit audit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<FindOrCreateResult> {
        FindOrCreateResult result;
        absl::StatusOr<PriorRequest> prior = LockAndFindRequest(w, key);
        if (!prior.ok()) return prior.status();
        if (prior->found) {
          absl::StatusOr<Patient> p = GetIn(w, prior->patient_id);
          if (!p.ok()) return p.status();
          result.patient = *std::move(p);
          result.created = prior->created;
          result.matched_on =
              static_cast<v1::FindOrCreatePatientResponse::Match>(
                  prior->matched_on);
          RecordOk(w, audit, result.patient.name());
          return result;
        }
        const std::string birth_date = FormatDate(patient.birth_date());
        w.exec_params(kLockBirthDateSql, birth_date);
        pqxx::result found = w.exec_params(kFindPersonSql, birth_date,
                                           patient.email(), patient.phone());
        if (!found.empty()) {
          result.patient = FromRow(found[0]);
          result.matched_on =
              found[0]["by_email"].as<bool>()
                  ? v1::FindOrCreatePatientResponse::MATCH_EMAIL
                  : v1::FindOrCreatePatientResponse::MATCH_PHONE;
        } else {
          result.patient = FromRow(ExecWithFields(w, kInsertSql, patient)[0]);
          result.created = true;
        }
        SaveRequest(w, key, result.patient.name(), result.created,
                    result.matched_on);
        RecordOk(w, audit, result.patient.name());
        return result;
      });
}

absl::StatusOr<Patient> PgPatientStore::Archive(const std::string& id,
                                                const std::string& etag,
                                                Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<Patient> {
    absl::StatusOr<Patient> current = GetIn(w, id);
    if (!current.ok()) return current.status();
    if (!etag.empty() && etag != current->etag()) {
      return absl::AbortedError(
          absl::StrCat("patients/", id, " changed since etag ", etag,
                       " was read; read it again and retry"));
    }
    if (current->state() == v1::PATIENT_STATE_ARCHIVED) {
      RecordOk(w, audit, current->name());
      return current;
    }
    pqxx::result r = w.exec_params(kArchiveSql, id);
    if (r.empty()) return WhyNotUpdated(w, id, etag);
    Patient archived = FromRow(r[0]);
    RecordOk(w, audit, archived.name());
    return archived;
  });
}

}  // namespace clinic::patients
