#include "services/screenings/pg_store.h"

#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/db/idempotency.h"
#include "services/common/db/migrations.h"
#include "services/common/db/params.h"
#include "services/common/db/request_key.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"
#include "services/common/time/timestamps.h"
#include "services/screenings/migrations.h"
#include "services/screenings/validation.h"

namespace clinic::screenings {
namespace {

// ---- Every query the store runs, by name.

#define MICROS(col) "(extract(epoch FROM " col ") * 1000000)::bigint"

constexpr char kColumns[] =
    "id::text, given_name, family_name, phone, email, preferred_channel,"
    " preferred_times, location, concern, body_area, consent_to_contact,"
    " source, campaign, state, " MICROS("create_time") ", " MICROS(
        "update_time") ", version, patient";

const std::string kInsertSql = absl::StrCat(
    "INSERT INTO screenings.contact_requests (given_name, family_name, phone,"
    " email, preferred_channel, preferred_times, location, concern,"
    " body_area, consent_to_contact, source, campaign)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ",
    kColumns);
const std::string kGetSql = absl::StrCat(
    "SELECT ", kColumns, " FROM screenings.contact_requests WHERE id = $1");
const std::string kLockSql =
    absl::StrCat("SELECT ", kColumns,
                 " FROM screenings.contact_requests WHERE id = $1 FOR UPDATE");
// $1 states (smallint[] as text[]), $2 location ('' any), $3 has cursor,
// $4 cursor create micros, $5 cursor id, $6 limit.
const std::string kListSql = absl::StrCat(
    "SELECT ", kColumns,
    " FROM screenings.contact_requests"
    " WHERE state = ANY ($1::smallint[]) AND ($2 = '' OR location = $2)"
    " AND (NOT $3 OR (create_time, id) >"
    "      (to_timestamp($4::bigint / 1000000.0), NULLIF($5, '')::uuid))"
    " ORDER BY create_time, id LIMIT $6");
// $1 text[] of request ids.
constexpr char kAttemptsSql[] =
    "SELECT contact_request_id::text, " MICROS(
        "time") ", staff, outcome, note"
                " FROM screenings.contact_attempts"
                " WHERE contact_request_id = ANY ($1::uuid[]) ORDER BY id";
constexpr char kInsertAttemptSql[] =
    "INSERT INTO screenings.contact_attempts (contact_request_id, staff,"
    " outcome, note) VALUES ($1, $2, $3, $4)";
constexpr char kSetStateSql[] =
    "UPDATE screenings.contact_requests SET state = $2, update_time = now(),"
    " version = version + 1 WHERE id = $1";
// Open requests from the public form with this phone or email.
constexpr char kOpenWebRequestsSql[] =
    "SELECT count(*) FROM screenings.contact_requests WHERE state IN (1, 2)"
    " AND source = 1 AND (($1 <> '' AND phone = $1)"
    "  OR ($2 <> '' AND lower(email) = lower($2)))";
// Serializes the per-person limit check with the insert.
constexpr char kLockPersonSql[] =
    "SELECT pg_advisory_xact_lock(hashtext('screenings.person:' || $1))";

// Screenings.
constexpr char kScreeningColumns[] =
    "id::text, patient, appointment, protocol, protocol_version, therapist,"
    " encode(answers, 'hex'), findings, notes, outcome, state, " MICROS(
        "create_time") ", coalesce(" MICROS("complete_time") ", 0), version,"
    " coalesce(contact_request_id::text, ''), evaluation_appointment";
const std::string kInsertScreeningSql = absl::StrCat(
    "INSERT INTO screenings.screenings (patient, appointment, protocol,"
    " protocol_version, therapist, contact_request_id)"
    " VALUES ($1, $2, $3, $4, $5, NULLIF($6, '')::uuid) RETURNING ",
    kScreeningColumns);
const std::string kGetScreeningSql = absl::StrCat(
    "SELECT ", kScreeningColumns, " FROM screenings.screenings WHERE id = $1");
const std::string kLockScreeningSql =
    absl::StrCat("SELECT ", kScreeningColumns,
                 " FROM screenings.screenings WHERE id = $1 FOR UPDATE");
const std::string kListScreeningsSql =
    absl::StrCat("SELECT ", kScreeningColumns,
                 " FROM screenings.screenings WHERE patient = $1"
                 " ORDER BY create_time DESC, id LIMIT 200");
constexpr char kSaveScreeningSql[] =
    "UPDATE screenings.screenings SET answers = decode($2, 'hex'),"
    " findings = $3, notes = $4, version = version + 1 WHERE id = $1";
constexpr char kCompleteScreeningSql[] =
    "UPDATE screenings.screenings SET outcome = $2, state = 2,"
    " complete_time = now(), version = version + 1 WHERE id = $1";
// The open request a new screening of patient $1 (phone $2, email $3)
// came from: one already linked to the patient first, then the newest
// whose phone or email matches.
constexpr char kRequestToLinkSql[] =
    "SELECT id::text FROM screenings.contact_requests"
    " WHERE state IN (1, 2, 3) AND (patient = $1 OR (patient = ''"
    "   AND (($2 <> '' AND phone = $2) OR ($3 <> '' AND lower(email) ="
    "   lower($3)))))"
    " ORDER BY patient = $1 DESC, create_time DESC LIMIT 1 FOR UPDATE";
// Links request $1 to patient $2; a new or contacted one counts as
// screening booked from now on.
constexpr char kLinkRequestSql[] =
    "UPDATE screenings.contact_requests SET patient = $2,"
    " state = CASE WHEN state IN (1, 2) THEN 3 ELSE state END,"
    " update_time = now(), version = version + 1 WHERE id = $1";
constexpr char kSetEvaluationSql[] =
    "UPDATE screenings.screenings SET evaluation_appointment = $2,"
    " version = version + 1 WHERE id = $1";
constexpr char kAddendaSql[] =
    "SELECT " MICROS("time") ", staff, text FROM screenings.screening_addenda"
                            " WHERE screening_id = $1 ORDER BY id";
constexpr char kAddAddendumSql[] =
    "INSERT INTO screenings.screening_addenda (screening_id, staff, text)"
    " VALUES ($1, $2, $3)";

// $1/$2 the range of create times (micros).
constexpr char kFunnelSql[] =
    "SELECT location, campaign, count(*),"
    " count(*) FILTER (WHERE EXISTS (SELECT 1 FROM screenings.contact_attempts"
    "   a WHERE a.contact_request_id = r.id AND a.outcome = 1)),"
    " count(*) FILTER (WHERE state IN (3, 4)),"
    " count(*) FILTER (WHERE state = 4),"
    " count(*) FILTER (WHERE EXISTS (SELECT 1 FROM screenings.screenings s"
    "   WHERE s.contact_request_id = r.id AND s.state = 2))"
    " FROM screenings.contact_requests r"
    " WHERE create_time >= to_timestamp($1::bigint / 1000000.0)"
    " AND create_time < to_timestamp($2::bigint / 1000000.0)"
    " GROUP BY location, campaign ORDER BY count(*) DESC, location, campaign";

#undef MICROS

const db::RequestLog& Requests() {
  static const auto* const kLog = new db::RequestLog(kSchema);
  return *kLog;
}

v1::ContactRequest FromRow(const pqxx::row& r) {
  v1::ContactRequest c;
  c.set_name(absl::StrCat("contactRequests/", r[0].c_str()));
  c.set_given_name(r[1].c_str());
  c.set_family_name(r[2].c_str());
  c.set_phone(r[3].c_str());
  c.set_email(r[4].c_str());
  c.set_preferred_channel(static_cast<v1::ContactChannel>(r[5].as<int>()));
  c.set_preferred_times(r[6].c_str());
  c.set_location(r[7].c_str());
  c.set_concern(r[8].c_str());
  c.set_body_area(static_cast<v1::BodyArea>(r[9].as<int>()));
  c.set_consent_to_contact(r[10].as<bool>());
  c.set_source(static_cast<v1::ContactSource>(r[11].as<int>()));
  c.set_campaign(r[12].c_str());
  c.set_state(static_cast<v1::ContactRequestState>(r[13].as<int>()));
  *c.mutable_create_time() =
      time::ToTimestamp(absl::FromUnixMicros(r[14].as<int64_t>()));
  *c.mutable_update_time() =
      time::ToTimestamp(absl::FromUnixMicros(r[15].as<int64_t>()));
  c.set_etag(r[16].c_str());
  c.set_patient(r[17].c_str());
  return c;
}

// Fills the attempts of `requests` in one query.
void LoadAttempts(pqxx::work& w, std::vector<v1::ContactRequest*> requests) {
  if (requests.empty()) return;
  std::vector<std::string> ids;
  for (const v1::ContactRequest* r : requests) {
    ids.push_back(text::IdOf(r->name()));
  }
  for (const pqxx::row& row : w.exec_params(kAttemptsSql, db::TextArray(ids))) {
    const std::string name = absl::StrCat("contactRequests/", row[0].c_str());
    for (v1::ContactRequest* r : requests) {
      if (r->name() != name) continue;
      v1::ContactAttempt* a = r->add_attempts();
      *a->mutable_time() =
          time::ToTimestamp(absl::FromUnixMicros(row[1].as<int64_t>()));
      a->set_staff(row[2].c_str());
      a->set_outcome(static_cast<v1::ContactOutcome>(row[3].as<int>()));
      a->set_note(row[4].c_str());
    }
  }
}

absl::StatusOr<v1::ContactRequest> GetIn(pqxx::work& w, const std::string& sql,
                                         const std::string& id) {
  pqxx::result r = w.exec_params(sql, id);
  if (r.empty()) {
    return absl::NotFoundError("that contact request does not exist");
  }
  v1::ContactRequest c = FromRow(r[0]);
  LoadAttempts(w, {&c});
  return c;
}

v1::Screening ScreeningFromRow(pqxx::work& w, const pqxx::row& r) {
  v1::Screening s;
  s.set_name(absl::StrCat("screenings/", r[0].c_str()));
  s.set_patient(r[1].c_str());
  s.set_appointment(r[2].c_str());
  s.set_protocol(r[3].c_str());
  s.set_protocol_version(r[4].as<int>());
  s.set_therapist(r[5].c_str());
  v1::Screening stored;
  std::string bytes;
  const std::string hex = r[6].c_str();
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(
        static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  if (stored.ParseFromString(bytes)) *s.mutable_answers() = stored.answers();
  s.set_findings(r[7].c_str());
  s.set_notes(r[8].c_str());
  s.set_outcome(static_cast<v1::ScreeningOutcome>(r[9].as<int>()));
  s.set_state(static_cast<v1::ScreeningState>(r[10].as<int>()));
  *s.mutable_create_time() =
      time::ToTimestamp(absl::FromUnixMicros(r[11].as<int64_t>()));
  if (r[12].as<int64_t>() != 0) {
    *s.mutable_complete_time() =
        time::ToTimestamp(absl::FromUnixMicros(r[12].as<int64_t>()));
  }
  s.set_etag(r[13].c_str());
  s.set_contact_request(
      r[14].size() == 0 ? "" : absl::StrCat("contactRequests/", r[14].c_str()));
  s.set_evaluation_appointment(r[15].c_str());
  for (const pqxx::row& a : w.exec_params(kAddendaSql, r[0].c_str())) {
    v1::ScreeningAddendum* add = s.add_addenda();
    *add->mutable_time() =
        time::ToTimestamp(absl::FromUnixMicros(a[0].as<int64_t>()));
    add->set_staff(a[1].c_str());
    add->set_text(a[2].c_str());
  }
  return s;
}

absl::StatusOr<v1::Screening> GetScreeningIn(pqxx::work& w,
                                             const std::string& sql,
                                             const std::string& id) {
  pqxx::result r = w.exec_params(sql, id);
  if (r.empty()) return absl::NotFoundError("that screening does not exist");
  return ScreeningFromRow(w, r[0]);
}

}  // namespace

absl::Status MigrateScreenings(const std::string& conninfo) {
  std::vector<db::Migration> migrations = Migrations();
  migrations.push_back(
      audit::AuditEventsMigration(kSchema, "0002_audit_events.sql"));
  return db::ApplyMigrations(conninfo, kSchema, migrations);
}

void PgContactStore::RecordOk(pqxx::work& w, Audit audit,
                              const std::string& resource,
                              const std::vector<std::string>& resources) const {
  if (audit != nullptr) audit_log_.Record(w, *audit, resource, resources, "OK");
}

absl::Status PgContactStore::RecordFailure(const audit::AuditContext& audit,
                                           const std::string& resource,
                                           const std::string& outcome) {
  return audit_log_.RecordAlone(audit, resource, outcome);
}

absl::StatusOr<v1::ContactRequest> PgContactStore::Create(
    const v1::ContactRequest& c, const RequestKey& key, Audit audit) {
  return pool_->Transact([&](pqxx::work& w)
                             -> absl::StatusOr<v1::ContactRequest> {
    absl::StatusOr<std::optional<std::string>> prior = Requests().Find(w, key);
    if (!prior.ok()) return prior.status();
    if (prior->has_value()) {
      absl::StatusOr<v1::ContactRequest> again =
          GetIn(w, kGetSql, text::IdOf(**prior));
      if (again.ok()) RecordOk(w, audit, again->name());
      return again;
    }
    if (c.source() == v1::CONTACT_SOURCE_WEB_FORM) {
      w.exec_params(kLockPersonSql, c.phone().empty() ? c.email() : c.phone());
      const int open =
          w.exec_params(kOpenWebRequestsSql, c.phone(), c.email())[0][0]
              .as<int>();
      if (open >= kMaxOpenWebRequests) {
        return status::WithReason(
            absl::FailedPreconditionError(
                "We already have your earlier requests and will contact "
                "you soon."),
            {"TOO_MANY_OPEN_REQUESTS", "screenings.clinic", {}});
      }
    }
    pqxx::result r = w.exec_params(
        kInsertSql, c.given_name(), c.family_name(), c.phone(), c.email(),
        static_cast<int>(c.preferred_channel()), c.preferred_times(),
        c.location(), c.concern(), static_cast<int>(c.body_area()),
        c.consent_to_contact(), static_cast<int>(c.source()), c.campaign());
    v1::ContactRequest created = FromRow(r[0]);
    Requests().Save(w, key, created.name());
    RecordOk(w, audit, created.name());
    return created;
  });
}

absl::StatusOr<v1::ContactRequest> PgContactStore::Get(const std::string& id,
                                                       Audit audit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<v1::ContactRequest> {
        absl::StatusOr<v1::ContactRequest> c = GetIn(w, kGetSql, id);
        if (c.ok()) RecordOk(w, audit, c->name());
        return c;
      });
}

absl::StatusOr<ContactPage> PgContactStore::List(const ContactQuery& q,
                                                 Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<ContactPage> {
    std::vector<std::string> states;
    for (v1::ContactRequestState s : q.states) {
      states.push_back(absl::StrCat(static_cast<int>(s)));
    }
    const bool has = q.after.size() == 2;
    int64_t after_micros = 0;
    if (has && !absl::SimpleAtoi(q.after[0], &after_micros)) {
      return status::InvalidField("page_token", "malformed");
    }
    pqxx::result rows =
        w.exec_params(kListSql, db::TextArray(states), q.location, has,
                      after_micros, has ? q.after[1] : "", q.page_size + 1);
    ContactPage page;
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < q.page_size;
         ++i) {
      page.requests.push_back(FromRow(rows[i]));
    }
    if (static_cast<int>(rows.size()) > q.page_size) {
      const pqxx::row& last = rows[q.page_size - 1];
      page.next = {last[14].c_str(), last[0].c_str()};
    }
    std::vector<v1::ContactRequest*> all;
    std::vector<std::string> names;
    for (v1::ContactRequest& c : page.requests) {
      all.push_back(&c);
      names.push_back(c.name());
    }
    LoadAttempts(w, all);
    RecordOk(w, audit, "contactRequests", names);
    return page;
  });
}

absl::StatusOr<v1::ContactRequest> PgContactStore::RecordAttempt(
    const NewAttempt& a, const RequestKey& key, Audit audit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<v1::ContactRequest> {
        absl::StatusOr<std::optional<std::string>> prior =
            Requests().Find(w, key);
        if (!prior.ok()) return prior.status();
        if (prior->has_value()) {
          absl::StatusOr<v1::ContactRequest> again = GetIn(w, kGetSql, a.id);
          if (again.ok()) RecordOk(w, audit, again->name());
          return again;
        }
        absl::StatusOr<v1::ContactRequest> current = GetIn(w, kLockSql, a.id);
        if (!current.ok()) return current.status();
        if (!a.etag.empty() && a.etag != current->etag()) {
          return absl::AbortedError(
              "someone else updated this request; reload it and try again");
        }
        if (!IsOpen(current->state())) {
          return absl::FailedPreconditionError(
              "this request is closed; it takes no more call attempts");
        }
        v1::ContactRequestState next = a.next_state;
        if (next == v1::CONTACT_REQUEST_STATE_UNSPECIFIED) {
          next = a.outcome == v1::CONTACT_OUTCOME_REACHED
                     ? v1::CONTACT_REQUEST_STATE_CONTACTED
                     : current->state();
        }
        w.exec_params(kInsertAttemptSql, a.id, a.staff,
                      static_cast<int>(a.outcome), a.note);
        w.exec_params(kSetStateSql, a.id, static_cast<int>(next));
        absl::StatusOr<v1::ContactRequest> updated = GetIn(w, kGetSql, a.id);
        if (!updated.ok()) return updated.status();
        Requests().Save(w, key, updated->name());
        RecordOk(w, audit, updated->name());
        return updated;
      });
}

absl::StatusOr<std::vector<v1::FunnelRow>> PgContactStore::Funnel(
    absl::Time from, absl::Time to) {
  return pool_->Read([&](pqxx::nontransaction& n)
                         -> absl::StatusOr<std::vector<v1::FunnelRow>> {
    std::vector<v1::FunnelRow> rows;
    for (const pqxx::row& r : n.exec_params(
             kFunnelSql, absl::ToUnixMicros(from), absl::ToUnixMicros(to))) {
      v1::FunnelRow row;
      row.set_location(r[0].c_str());
      row.set_campaign(r[1].c_str());
      row.set_requests(r[2].as<int>());
      row.set_contacted(r[3].as<int>());
      row.set_screenings_booked(r[4].as<int>());
      row.set_converted(r[5].as<int>());
      row.set_screenings_done(r[6].as<int>());
      rows.push_back(std::move(row));
    }
    return rows;
  });
}

// ---- Screenings.

absl::StatusOr<v1::Screening> PgContactStore::CreateScreening(
    const v1::Screening& s, const PatientContacts& contacts,
    const RequestKey& key, Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Screening> {
    absl::StatusOr<std::optional<std::string>> prior = Requests().Find(w, key);
    if (!prior.ok()) return prior.status();
    if (prior->has_value()) {
      absl::StatusOr<v1::Screening> again =
          GetScreeningIn(w, kGetScreeningSql, text::IdOf(**prior));
      if (again.ok()) RecordOk(w, audit, again->name(), {again->patient()});
      return again;
    }
    std::string request;
    pqxx::result link = w.exec_params(kRequestToLinkSql, s.patient(),
                                      contacts.phone, contacts.email);
    if (!link.empty()) {
      request = link[0][0].c_str();
      w.exec_params(kLinkRequestSql, request, s.patient());
    }
    pqxx::result r = w.exec_params(
        kInsertScreeningSql, s.patient(), s.appointment(), s.protocol(),
        s.protocol_version(), s.therapist(), request);
    v1::Screening created = ScreeningFromRow(w, r[0]);
    Requests().Save(w, key, created.name());
    std::vector<std::string> touched = {created.patient()};
    if (!request.empty()) touched.push_back(created.contact_request());
    RecordOk(w, audit, created.name(), touched);
    return created;
  });
}

absl::StatusOr<v1::Screening> PgContactStore::GetScreening(
    const std::string& id, Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Screening> {
    absl::StatusOr<v1::Screening> s = GetScreeningIn(w, kGetScreeningSql, id);
    if (s.ok()) RecordOk(w, audit, s->name(), {s->patient()});
    return s;
  });
}

absl::StatusOr<std::vector<v1::Screening>> PgContactStore::ListScreenings(
    const std::string& patient, Audit audit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<std::vector<v1::Screening>> {
        std::vector<v1::Screening> out;
        std::vector<std::string> names;
        for (const pqxx::row& r : w.exec_params(kListScreeningsSql, patient)) {
          out.push_back(ScreeningFromRow(w, r));
          names.push_back(out.back().name());
        }
        RecordOk(w, audit, patient, names);
        return out;
      });
}

absl::StatusOr<Conversion> PgContactStore::Convert(
    const std::string& id, const std::string& appointment,
    const RequestKey& key, Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<Conversion> {
    absl::StatusOr<v1::Screening> current =
        GetScreeningIn(w, kLockScreeningSql, id);
    if (!current.ok()) return current.status();
    absl::StatusOr<std::optional<std::string>> prior = Requests().Find(w, key);
    if (!prior.ok()) return prior.status();
    const bool again = prior->has_value();
    if (!again) {
      if (!current->evaluation_appointment().empty()) {
        return absl::FailedPreconditionError(
            "this screening was converted already: its initial evaluation "
            "is booked");
      }
      if (current->state() != v1::SCREENING_STATE_COMPLETED ||
          current->outcome() != v1::SCREENING_OUTCOME_PT_EVALUATION) {
        return absl::FailedPreconditionError(
            "only a completed screening that recommends a PT evaluation "
            "converts to treatment");
      }
      w.exec_params(kSetEvaluationSql, id, appointment);
      if (!current->contact_request().empty()) {
        w.exec_params(kSetStateSql, text::IdOf(current->contact_request()),
                      static_cast<int>(v1::CONTACT_REQUEST_STATE_CONVERTED));
      }
    }
    Conversion out;
    absl::StatusOr<v1::Screening> s = GetScreeningIn(w, kGetScreeningSql, id);
    if (!s.ok()) return s.status();
    out.screening = *std::move(s);
    std::vector<std::string> touched = {out.screening.patient()};
    if (!out.screening.contact_request().empty()) {
      absl::StatusOr<v1::ContactRequest> r =
          GetIn(w, kGetSql, text::IdOf(out.screening.contact_request()));
      if (!r.ok()) return r.status();
      out.request = *std::move(r);
      touched.push_back(out.request->name());
    }
    if (!again) Requests().Save(w, key, out.screening.name());
    RecordOk(w, audit, out.screening.name(), touched);
    return out;
  });
}

absl::StatusOr<v1::Screening> PgContactStore::UpdateScreening(
    const ScreeningChange& c, Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Screening> {
    absl::StatusOr<v1::Screening> current =
        GetScreeningIn(w, kLockScreeningSql, c.id);
    if (!current.ok()) return current.status();
    if (current->etag() != c.etag) {
      return absl::AbortedError(
          "someone else saved this screening; reload it and try again");
    }
    if (current->state() == v1::SCREENING_STATE_COMPLETED) {
      return absl::FailedPreconditionError(
          "this screening is completed; add an addendum instead");
    }
    v1::Screening stored;
    *stored.mutable_answers() = c.answers;
    w.exec_params(kSaveScreeningSql, c.id,
                  db::HexEncode(stored.SerializeAsString()), c.findings,
                  c.notes);
    absl::StatusOr<v1::Screening> saved =
        GetScreeningIn(w, kGetScreeningSql, c.id);
    if (saved.ok()) RecordOk(w, audit, saved->name(), {saved->patient()});
    return saved;
  });
}

absl::StatusOr<v1::Screening> PgContactStore::CompleteScreening(
    const std::string& id, const std::string& etag,
    v1::ScreeningOutcome outcome,
    const std::function<absl::Status(const v1::Screening&)>& check,
    Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Screening> {
    absl::StatusOr<v1::Screening> current =
        GetScreeningIn(w, kLockScreeningSql, id);
    if (!current.ok()) return current.status();
    if (!etag.empty() && current->etag() != etag) {
      return absl::AbortedError(
          "someone else saved this screening; reload it and try again");
    }
    if (current->state() == v1::SCREENING_STATE_COMPLETED) {
      return absl::FailedPreconditionError("this screening is completed");
    }
    if (absl::Status s = check(*current); !s.ok()) return s;
    w.exec_params(kCompleteScreeningSql, id, static_cast<int>(outcome));
    absl::StatusOr<v1::Screening> done =
        GetScreeningIn(w, kGetScreeningSql, id);
    if (done.ok()) RecordOk(w, audit, done->name(), {done->patient()});
    return done;
  });
}

absl::StatusOr<v1::Screening> PgContactStore::AddAddendum(
    const std::string& id, const std::string& staff, const std::string& text,
    Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Screening> {
    absl::StatusOr<v1::Screening> current =
        GetScreeningIn(w, kLockScreeningSql, id);
    if (!current.ok()) return current.status();
    if (current->state() != v1::SCREENING_STATE_COMPLETED) {
      return absl::FailedPreconditionError(
          "addenda are for completed screenings; edit it instead");
    }
    w.exec_params(kAddAddendumSql, id, staff, text);
    absl::StatusOr<v1::Screening> added =
        GetScreeningIn(w, kGetScreeningSql, id);
    if (added.ok()) RecordOk(w, audit, added->name(), {added->patient()});
    return added;
  });
}

}  // namespace clinic::screenings
