#include "services/appointments/pg_booking_store.h"

#include <algorithm>
#include <pqxx/pqxx>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/appointments/pg_rows.h"
#include "services/appointments/rules.h"
#include "services/appointments/validation.h"
#include "services/common/db/errors.h"
#include "services/common/db/params.h"
#include "services/common/db/prepared.h"
#include "services/common/db/request_key.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"

namespace clinic::appointments {
namespace {

using pg::FromMicros;
using pg::JsonArray;
using pg::Micros;
using pg::Requests;

// ---- Every query the store runs, by name. Instants are bigint
// microseconds: appointments.from_micros() on the way in, and on the way out
// the expression itself (see pg_rows.h): calling appointments.micros() per
// row made the busy-interval query of FindAvailableSlots 7x slower (5.9 ms
// vs 0.8 ms for 780 rows; see tests/bench).

// Claims: the per-therapist lock every claim of time takes first (see
// migrations/0001_init.sql for why this, with the exclusion constraints,
// rules out double booking including holds), then the patient's (always in
// that order, so two claims cannot wait on each other: claims of one
// patient with different therapists are serialized too, and answer
// PATIENT_BUSY from the check instead of both inserting, waiting on each
// other's row in the patient exclusion constraint and being aborted as a
// deadlock), and what stands in the way: migrations/0007_claim.sql, one
// round trip. Columns: kind (0 an earlier request with this request_id, 1 a
// hold, 2 the therapist's appointment, 3 the patient's), id, start and end
// micros.
// $1 method, $2 request_id ('' for none), $3 hex of the request's bytes,
// $4 therapist ('' to check the request alone), $5 patient ('' for none),
// $6/$7 buffered range, $8 now, $9 own hold, $10 self, $11/$12 the
// patient's range.
constexpr char kClaimSql[] =
    "SELECT kind, id, start_micros, end_micros FROM appointments.claim("
    "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
// $1 therapist, $2 now.
constexpr char kDropExpiredHoldsSql[] =
    "DELETE FROM appointments.holds WHERE therapist = $1"
    " AND expire_time <= appointments.from_micros($2)";

// Holds.
constexpr char kHoldColumns[] =
    "h.id::text, h.therapist, h.location_id::text, h.type_id::text,"
    " (extract(epoch FROM h.start_time) * 1000000)::bigint, (extract(epoch "
    "FROM h.end_time) * 1000000)::bigint,"
    " (extract(epoch FROM h.expire_time) * 1000000)::bigint, l.time_zone";
const std::string kGetHoldSql =
    absl::StrCat("SELECT ", kHoldColumns,
                 " FROM appointments.holds h JOIN appointments.locations l"
                 " ON l.id = h.location_id WHERE h.id = $1 FOR UPDATE OF h");
// $1 therapist, $2 location, $3 type, $4 start, $5 end, $6/$7 buffered,
// $8 expire.
constexpr char kInsertHoldSql[] =
    "INSERT INTO appointments.holds (therapist, location_id, type_id,"
    " start_time, end_time, buffered_range, expire_time) VALUES ($1,"
    " $2::uuid, $3::uuid, appointments.from_micros($4),"
    " appointments.from_micros($5), tstzrange(appointments.from_micros($6),"
    " appointments.from_micros($7)), appointments.from_micros($8))"
    " RETURNING id::text";
constexpr char kDeleteHoldSql[] =
    "DELETE FROM appointments.holds WHERE id = $1";

// Appointments.
constexpr char kAppointmentColumns[] =
    "a.id::text, a.patient, a.therapist, a.location_id::text, a.type_id::text,"
    " (extract(epoch FROM a.start_time) * 1000000)::bigint, (extract(epoch "
    "FROM a.end_time) * 1000000)::bigint,"
    " a.state, a.source, a.notes, a.creator, a.cancel_reason,"
    " (extract(epoch FROM a.create_time) * 1000000)::bigint, (extract(epoch "
    "FROM a.update_time) * 1000000)::bigint,"
    " a.version, l.time_zone, coalesce(a.undo_state, 0), a.undo_staff,"
    " coalesce((extract(epoch FROM a.undo_time) * 1000000)::bigint, 0),"
    " a.undo_reason";
constexpr char kAppointmentFrom[] =
    " FROM appointments.appointments a JOIN appointments.locations l"
    " ON l.id = a.location_id";
const std::string kGetAppointmentSql = absl::StrCat(
    "SELECT ", kAppointmentColumns, kAppointmentFrom, " WHERE a.id = $1");
const std::string kLockAppointmentSql =
    absl::StrCat("SELECT ", kAppointmentColumns, kAppointmentFrom,
                 " WHERE a.id = $1 FOR UPDATE OF a");
// $1 JSON array of location ids ('[]': any), $2 therapist, $3 patient,
// $4 has from, $5 from, $6 has before, $7 before, $8 show cancelled,
// $9 only active, $10 has cursor, $11 cursor start, $12 cursor id,
// $13 limit.
const std::string kListAppointmentsSql = absl::StrCat(
    "SELECT ", kAppointmentColumns, kAppointmentFrom,
    " WHERE ($1 = '[]' OR a.location_id IN"
    "        (SELECT jsonb_array_elements_text($1::jsonb)::uuid))"
    " AND ($2 = '' OR a.therapist = $2) AND ($3 = '' OR a.patient = $3)"
    " AND (NOT $4 OR a.start_time >= appointments.from_micros($5))"
    " AND (NOT $6 OR a.start_time < appointments.from_micros($7))"
    " AND ($8 OR a.state <> 6) AND (NOT $9 OR a.state IN (1, 2, 3))"
    " AND (NOT $10 OR (a.start_time, a.id) >"
    "      (appointments.from_micros($11), NULLIF($12, '')::uuid))"
    " ORDER BY a.start_time, a.id LIMIT $13");
// $1 patient, $2 therapist, $3 location, $4 type, $5 start, $6 end,
// $7/$8 buffered, $9 source, $10 notes, $11 creator.
// Inserts and returns the appointment as kGetAppointmentSql reads it.
const std::string kInsertAppointmentSql = absl::StrCat(
    "WITH a AS (INSERT INTO appointments.appointments (patient, therapist,"
    " location_id, type_id, start_time, end_time, buffered_range, source,"
    " notes, creator)"
    " VALUES ($1, $2, $3::uuid, $4::uuid, appointments.from_micros($5),"
    " appointments.from_micros($6), tstzrange(appointments.from_micros($7),"
    " appointments.from_micros($8)), $9, $10, $11) RETURNING *) SELECT ",
    kAppointmentColumns,
    " FROM a JOIN appointments.locations l ON l.id = a.location_id");
// $1 id, $2 therapist, $3 location, $4 start, $5 end, $6/$7 buffered.
constexpr char kMoveAppointmentSql[] =
    "UPDATE appointments.appointments SET therapist = $2, location_id = "
    "$3::uuid, start_time = appointments.from_micros($4), end_time = "
    "appointments.from_micros($5), buffered_range = tstzrange("
    "appointments.from_micros($6), appointments.from_micros($7)),"
    " update_time = now(), version = version + 1 WHERE id = $1";
// $1 hex of the token's SHA-256, $2 appointment, $3 expiry micros.
constexpr char kSaveManageTokenSql[] =
    "INSERT INTO appointments.manage_tokens (token_hash, appointment_id,"
    " expire_time) VALUES (decode($1, 'hex'), $2::uuid,"
    " appointments.from_micros($3)) ON CONFLICT (token_hash) DO NOTHING";
// $1 hex of the token's SHA-256, $2 now.
constexpr char kFindManageTokenSql[] =
    "SELECT appointment_id::text FROM appointments.manage_tokens"
    " WHERE token_hash = decode($1, 'hex')"
    " AND expire_time > appointments.from_micros($2)";
// $1 id, $2 state, $3 cancel reason.
// The outbox: $1 appointment, $2 kind, $3 actor, $4 body (hex), $5 the
// start before a move (micros, or 0).
constexpr char kInsertEventSql[] =
    "INSERT INTO appointments.events (appointment_id, kind, actor, body,"
    " previous_start) VALUES ($1::uuid, $2, $3, decode($4, 'hex'),"
    " CASE WHEN $5::bigint = 0 THEN NULL ELSE appointments.from_micros($5)"
    " END)";
// Events of transactions older than every one still running, after the
// cursor ($1 txid, $2 id), in txid order; $3 limit. The order names the
// table's columns: "ORDER BY txid" would sort by the text of the output
// column of that name, putting transaction 1000 before 999 (and the cursor
// past events not yet handed out).
constexpr char kEventsSql[] =
    "SELECT e.txid::text, e.id, kind, actor,"
    " (extract(epoch FROM time) * 1000000)::bigint, encode(body, 'hex'),"
    " coalesce((extract(epoch FROM previous_start) * 1000000)::bigint, 0),"
    " coalesce(encode(offer, 'hex'), '')"
    " FROM appointments.events e"
    " WHERE (e.txid, e.id) > ($1::xid8, $2::bigint)"
    " AND e.txid < pg_snapshot_xmin(pg_current_snapshot())"
    " ORDER BY e.txid, e.id LIMIT $3";
// $1 the cancelled appointment: its time, for the waitlist's offers.
constexpr char kFreeSlotSql[] =
    "INSERT INTO appointments.freed_slots (appointment_id, patient,"
    " therapist, location_id, type_id, start_time, end_time, buffered_range)"
    " SELECT id, patient, therapist, location_id, type_id, start_time,"
    " end_time, buffered_range FROM appointments.appointments WHERE id = $1"
    " ON CONFLICT (appointment_id) DO NOTHING";
// Check-in and no-show remember the state they left (for an undo).
constexpr char kSetStateSql[] =
    "UPDATE appointments.appointments SET state = $2::smallint,"
    " cancel_reason = $3, prior_state = CASE WHEN $2::smallint IN (3, 5)"
    " THEN state ELSE prior_state END,"
    " update_time = now(), version = version + 1 WHERE id = $1";
// $1 id, $2 staff, $3 reason: back to the state before the check-in or
// no-show.
constexpr char kUndoStateSql[] =
    "UPDATE appointments.appointments SET state = coalesce(prior_state, 1),"
    " undo_state = state, undo_staff = $2, undo_time = now(),"
    " undo_reason = $3, prior_state = NULL, update_time = now(),"
    " version = version + 1 WHERE id = $1";
// $1 text[] of therapists, $2/$3 window, $4 now. A plain array parameter
// (not one unpacked from JSON in a subquery) lets the planner use the
// therapist index for each element.
constexpr char kBusySql[] =
    "SELECT therapist, (extract(epoch FROM lower(buffered_range)) * "
    "1000000)::bigint,"
    " (extract(epoch FROM upper(buffered_range)) * 1000000)::bigint"
    " FROM appointments.appointments WHERE therapist = ANY ($1::text[])"
    " AND state IN (1, 2, 3)"
    " AND buffered_range && tstzrange(appointments.from_micros($2),"
    " appointments.from_micros($3))"
    " UNION ALL "
    "SELECT therapist, (extract(epoch FROM lower(buffered_range)) * "
    "1000000)::bigint,"
    " (extract(epoch FROM upper(buffered_range)) * 1000000)::bigint"
    " FROM appointments.holds WHERE therapist = ANY ($1::text[])"
    " AND expire_time > appointments.from_micros($4)"
    " AND buffered_range && tstzrange(appointments.from_micros($2),"
    " appointments.from_micros($3))";

// Waitlist.
constexpr char kWaitlistColumns[] =
    "id::text, patient, location_id::text, type_id::text, therapist,"
    " time_of_day, latest_date::text, priority, notes,"
    " (extract(epoch FROM create_time) * 1000000)::bigint";
const std::string kGetWaitlistSql =
    absl::StrCat("SELECT ", kWaitlistColumns,
                 " FROM appointments.waitlist_entries WHERE id = $1");
const std::string kInsertWaitlistSql = absl::StrCat(
    "INSERT INTO appointments.waitlist_entries (patient, location_id,"
    " type_id, therapist, time_of_day, latest_date, priority, notes)"
    " VALUES ($1, $2::uuid, $3::uuid, $4, $5, $6::date, $7, $8) RETURNING ",
    kWaitlistColumns);
// $1 location, $2 type, $3 has slot, $4 slot location, $5 slot type,
// $6 slot therapist, $7 slot date, $8 slot time of day, $9 has cursor,
// $10 priority, $11 create micros, $12 id, $13 limit.
const std::string kListWaitlistSql =
    absl::StrCat("SELECT ", kWaitlistColumns,
                 " FROM appointments.waitlist_entries"
                 " WHERE ($1 = '' OR location_id = NULLIF($1, '')::uuid)"
                 " AND ($2 = '' OR type_id = NULLIF($2, '')::uuid)"
                 " AND (NOT $3 OR (location_id = NULLIF($4, '')::uuid"
                 "      AND type_id = NULLIF($5, '')::uuid"
                 "      AND (therapist = '' OR therapist = $6)"
                 "      AND latest_date >= NULLIF($7, '')::date"
                 "      AND (time_of_day = 0 OR time_of_day = $8)))"
                 " AND (NOT $9 OR (-priority, create_time, id) >"
                 "      (-$10::integer, appointments.from_micros($11),"
                 "       NULLIF($12, '')::uuid))"
                 " ORDER BY priority DESC, create_time, id LIMIT $13");
constexpr char kDeleteWaitlistSql[] =
    "DELETE FROM appointments.waitlist_entries WHERE id = $1"
    " RETURNING patient";

// ---- Rows and claims.

absl::TimeZone ZoneOrUtc(const std::string& name) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(name, &zone)) return absl::UTCTimeZone();
  return zone;
}

v1::Appointment AppointmentFromRow(const pqxx::row& r) {
  v1::Appointment a;
  a.set_name(absl::StrCat("appointments/", r[0].c_str()));
  a.set_patient(r[1].c_str());
  a.set_therapist(r[2].c_str());
  a.set_location(absl::StrCat("locations/", r[3].c_str()));
  a.set_appointment_type(absl::StrCat("appointmentTypes/", r[4].c_str()));
  const absl::Time start = FromMicros(r[5].as<int64_t>());
  *a.mutable_start_time() = ToProto(start);
  *a.mutable_end_time() = ToProto(FromMicros(r[6].as<int64_t>()));
  a.set_state(static_cast<v1::AppointmentState>(r[7].as<int>()));
  a.set_source(static_cast<v1::AppointmentSource>(r[8].as<int>()));
  a.set_notes(r[9].c_str());
  a.set_creator(r[10].c_str());
  a.set_cancel_reason(r[11].c_str());
  *a.mutable_create_time() = ToProto(FromMicros(r[12].as<int64_t>()));
  *a.mutable_update_time() = ToProto(FromMicros(r[13].as<int64_t>()));
  a.set_etag(r[14].c_str());
  a.set_local_start(LocalStart(start, ZoneOrUtc(r[15].c_str())));
  if (r[16].as<int>() != 0) {
    v1::StatusUndo* undo = a.mutable_last_undo();
    undo->set_undone_state(static_cast<v1::AppointmentState>(r[16].as<int>()));
    undo->set_staff(r[17].c_str());
    *undo->mutable_time() = ToProto(FromMicros(r[18].as<int64_t>()));
    undo->set_reason(r[19].c_str());
  }
  return a;
}

v1::Hold HoldFromRow(const pqxx::row& r) {
  v1::Hold h;
  h.set_name(absl::StrCat("holds/", r[0].c_str()));
  v1::Slot* s = h.mutable_slot();
  s->set_therapist(r[1].c_str());
  s->set_location(absl::StrCat("locations/", r[2].c_str()));
  s->set_appointment_type(absl::StrCat("appointmentTypes/", r[3].c_str()));
  const absl::Time start = FromMicros(r[4].as<int64_t>());
  *s->mutable_start_time() = ToProto(start);
  *s->mutable_end_time() = ToProto(FromMicros(r[5].as<int64_t>()));
  s->set_time_zone(r[7].c_str());
  s->set_local_start(LocalStart(start, ZoneOrUtc(r[7].c_str())));
  *h.mutable_expire_time() = ToProto(FromMicros(r[6].as<int64_t>()));
  return h;
}

v1::WaitlistEntry WaitlistFromRow(const pqxx::row& r) {
  v1::WaitlistEntry e;
  e.set_name(absl::StrCat("waitlistEntries/", r[0].c_str()));
  e.set_patient(r[1].c_str());
  e.set_location(absl::StrCat("locations/", r[2].c_str()));
  e.set_appointment_type(absl::StrCat("appointmentTypes/", r[3].c_str()));
  e.set_therapist(r[4].c_str());
  e.set_time_of_day(static_cast<v1::TimeOfDayPreference>(r[5].as<int>()));
  std::vector<std::string> ymd = absl::StrSplit(r[6].c_str(), '-');
  int y = 0, m = 0, d = 0;
  if (ymd.size() == 3 && absl::SimpleAtoi(ymd[0], &y) &&
      absl::SimpleAtoi(ymd[1], &m) && absl::SimpleAtoi(ymd[2], &d)) {
    e.mutable_latest_date()->set_year(y);
    e.mutable_latest_date()->set_month(m);
    e.mutable_latest_date()->set_day(d);
  }
  e.set_priority(r[7].as<int>());
  e.set_notes(r[8].c_str());
  *e.mutable_create_time() = ToProto(FromMicros(r[9].as<int64_t>()));
  return e;
}

absl::StatusOr<v1::Appointment> GetAppointmentIn(pqxx::work& w,
                                                 const std::string& id,
                                                 bool lock) {
  pqxx::result r =
      db::ExecPrepared(w, lock ? kLockAppointmentSql : kGetAppointmentSql, id);
  if (r.empty()) {
    return absl::NotFoundError("that appointment does not exist");
  }
  return AppointmentFromRow(r[0]);
}

absl::Time BufferedStart(const Claim& c) { return c.start - c.buffer_before; }
absl::Time BufferedEnd(const Claim& c) { return c.end + c.buffer_after; }

// The slot as messages name it: "staff/x at 2026-03-09T09:00
// (America/Denver)".
// A local time as people read it: "Monday 30 November at 11:15".
std::string Words(absl::Time t, absl::TimeZone zone) {
  return absl::StrCat(absl::FormatTime("%A ", t, zone),
                      absl::ToCivilDay(t, zone).day(),
                      absl::FormatTime(" %B at %H:%M", t, zone));
}

// ALREADY_EXISTS for a time that is not free, with the reason clients
// branch on: SLOT_TAKEN (an appointment), SLOT_HELD (a live hold) or
// PATIENT_BUSY (the patient has another appointment then). The message
// names no one (the service does not know names) and no ids; the metadata
// gives programs the therapist, the appointment in the way and its local
// start and end ("YYYY-MM-DDTHH:MM").
absl::Status SlotTaken(const char* reason, std::string message,
                       std::map<std::string, std::string> metadata = {}) {
  return status::WithReason(
      absl::AlreadyExistsError(std::move(message)),
      {reason, "appointments.clinic", std::move(metadata)});
}

// The claim's checks (kClaimSql): with `key`'s request_id, its earlier
// answer first; with `claim`, the locks and what stands in the way.
pqxx::result Claimed(pqxx::work& w, const RequestKey& key, const Claim* claim,
                     const std::string& patient, const std::string& self,
                     const std::string& own_hold) {
  static const Claim kNone;
  const Claim& c = claim != nullptr ? *claim : kNone;
  return db::ExecPrepared(
      w, kClaimSql, key.method, key.request_id,
      key.request_id.empty() ? "" : db::HexEncode(key.request_bytes),
      claim != nullptr ? c.therapist : "", patient, Micros(BufferedStart(c)),
      Micros(BufferedEnd(c)), Micros(c.now), own_hold, self, Micros(c.start),
      Micros(c.end));
}

// The answer an earlier request with the same request_id made (a row of
// kind 0), as the request log gives it (services/common/db/idempotency.h).
absl::StatusOr<std::string> EarlierAnswer(const pqxx::row& row) {
  if (row[2].as<int64_t>() != 1) {
    return status::InvalidField("request_id",
                                "already used for a different request");
  }
  return std::string(row[1].c_str());
}

// ALREADY_EXISTS for what stands in the way of `claim` (a row of kind 1 to
// 3).
absl::Status InTheWay(const pqxx::row& row, const Claim& claim,
                      const std::string& patient);

// what would stop `claim`: a live hold (other than `own_hold`), an active
// appointment of the therapist (other than `self`), or of the patient.
// OK if nothing does.
absl::Status ClaimTime(pqxx::work& w, const Claim& claim,
                       const std::string& patient, const std::string& self,
                       const std::string& own_hold) {
  pqxx::result conflict =
      Claimed(w, RequestKey{}, &claim, patient, self, own_hold);
  if (conflict.empty()) return absl::OkStatus();
  return InTheWay(conflict[0], claim, patient);
}

// The appointment of a claim that is free (ClaimTime said so in `w`), in
// place of the hold that kept it, if any.
v1::Appointment InsertBooking(pqxx::work& w, const Claim& c,
                              const std::string& patient,
                              v1::AppointmentSource source,
                              const std::string& notes,
                              const std::string& creator,
                              const std::string& hold) {
  pqxx::result r = db::ExecPrepared(
      w, kInsertAppointmentSql, patient, c.therapist, c.location_id, c.type_id,
      Micros(c.start), Micros(c.end), Micros(BufferedStart(c)),
      Micros(BufferedEnd(c)), static_cast<int>(source), notes, creator);
  if (!hold.empty()) db::ExecPrepared(w, kDeleteHoldSql, hold);
  return AppointmentFromRow(r[0]);
}

absl::Status InTheWay(const pqxx::row& row, const Claim& claim,
                      const std::string& patient) {
  const std::string id = row[1].c_str();
  const absl::Time other_start = FromMicros(row[2].as<int64_t>());
  const absl::Time other_end = FromMicros(row[3].as<int64_t>());
  std::map<std::string, std::string> metadata = {
      {"therapist", claim.therapist},
      {"start", LocalStart(claim.start, claim.zone)},
      {"time_zone", claim.zone.name()},
      {"other_start", LocalStart(other_start, claim.zone)},
      {"other_end", LocalStart(other_end, claim.zone)}};
  switch (row[0].as<int>()) {
    case 1:
      metadata["hold"] = absl::StrCat("holds/", id);
      return SlotTaken(
          "SLOT_HELD",
          absl::StrCat("Someone is booking ", Words(claim.start, claim.zone),
                       " right now; the time is held for them until ",
                       absl::FormatTime("%H:%M", other_end, claim.zone),
                       ". Choose another time."),
          std::move(metadata));
    case 2:
      metadata["appointment"] = absl::StrCat("appointments/", id);
      return SlotTaken(
          "SLOT_TAKEN",
          absl::StrCat("The therapist is not free ",
                       Words(claim.start, claim.zone),
                       ": another appointment from ",
                       absl::FormatTime("%H:%M", other_start, claim.zone),
                       " to ", absl::FormatTime("%H:%M", other_end, claim.zone),
                       " (with the time kept free around it) is in the way. "
                       "Choose another time."),
          std::move(metadata));
    default:
      metadata["appointment"] = absl::StrCat("appointments/", id);
      metadata["patient"] = patient;
      return SlotTaken(
          "PATIENT_BUSY",
          absl::StrCat("The patient already has an appointment ",
                       Words(other_start, claim.zone),
                       ", which overlaps this time. Choose another time."),
          std::move(metadata));
  }
}

// The exclusion constraints (migrations/0001_init.sql) end in _no_overlap.
bool IsOverlapViolation(const absl::Status& s) {
  return s.code() == absl::StatusCode::kAlreadyExists &&
         absl::EndsWith(db::ViolatedConstraint(s), "_no_overlap");
}

}  // namespace

// ---- Availability and claims.

absl::StatusOr<std::map<std::string, std::vector<slots::Interval>>>
PgBookingStore::BusyIntervals(const std::vector<std::string>& therapists,
                              absl::Time from, absl::Time to, absl::Time now) {
  using Result = std::map<std::string, std::vector<slots::Interval>>;
  // One statement: no transaction block, one round trip.
  return pool_->Read([&](pqxx::nontransaction& w) -> absl::StatusOr<Result> {
    Result out;
    for (const std::string& t : therapists) out[t];
    for (const pqxx::row& row :
         db::ExecPrepared(w, kBusySql, db::TextArray(therapists), Micros(from),
                          Micros(to), Micros(now))) {
      out[row[0].c_str()].push_back(
          {FromMicros(row[1].as<int64_t>()), FromMicros(row[2].as<int64_t>())});
    }
    return out;
  });
}

absl::StatusOr<v1::Hold> PgBookingStore::Hold(const Claim& claim,
                                              absl::Time expire_time,
                                              const RequestKey& key) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Hold> {
    absl::StatusOr<std::optional<std::string>> prior = Requests().Find(w, key);
    if (!prior.ok()) return prior.status();
    if (prior->has_value()) {
      pqxx::result r = db::ExecPrepared(w, kGetHoldSql, text::IdOf(**prior));
      if (r.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "request_id: ", **prior, " made for it was used or has expired"));
      }
      return HoldFromRow(r[0]);
    }
    if (absl::Status s = ClaimTime(w, claim, "", "", ""); !s.ok()) return s;
    db::ExecPrepared(w, kDropExpiredHoldsSql, claim.therapist,
                     Micros(claim.now));
    pqxx::result r = db::ExecPrepared(
        w, kInsertHoldSql, claim.therapist, claim.location_id, claim.type_id,
        Micros(claim.start), Micros(claim.end), Micros(BufferedStart(claim)),
        Micros(BufferedEnd(claim)), Micros(expire_time));
    const std::string id = r[0][0].c_str();
    Requests().Save(w, key, absl::StrCat("holds/", id));
    return HoldFromRow(db::ExecPrepared(w, kGetHoldSql, id)[0]);
  });
}

namespace {

// Writes the outbox event of a change to `a` in `w`.
void Publish(pqxx::work& w, v1::AppointmentEvent::Kind kind,
             const v1::Appointment& a, Audit audit,
             absl::Time previous_start = absl::UnixEpoch()) {
  v1::Appointment body = a;
  body.clear_etag();
  db::ExecPrepared(
      w, kInsertEventSql, text::IdOf(a.name()), static_cast<int>(kind),
      audit != nullptr ? audit->actor : "",
      db::HexEncode(body.SerializeAsString()),
      previous_start == absl::UnixEpoch() ? 0 : Micros(previous_start));
}

v1::AppointmentEvent::Kind KindOf(Verb verb) {
  switch (verb) {
    case Verb::kConfirm:
      return v1::AppointmentEvent::CONFIRMED;
    case Verb::kCheckIn:
      return v1::AppointmentEvent::CHECKED_IN;
    case Verb::kComplete:
      return v1::AppointmentEvent::COMPLETED;
    case Verb::kMarkNoShow:
      return v1::AppointmentEvent::NO_SHOW;
    case Verb::kCancel:
      return v1::AppointmentEvent::CANCELLED;
    case Verb::kReschedule:
      return v1::AppointmentEvent::RESCHEDULED;
  }
  return v1::AppointmentEvent::KIND_UNSPECIFIED;
}

}  // namespace

absl::StatusOr<std::pair<std::vector<v1::AppointmentEvent>, std::string>>
PgBookingStore::Events(const std::string& after, int limit) {
  std::string txid = "0";
  int64_t id = 0;
  if (!after.empty()) {
    const size_t colon = after.find(':');
    if (colon == std::string::npos ||
        !absl::SimpleAtoi(after.substr(colon + 1), &id) || colon == 0 ||
        after.find_first_not_of("0123456789") != colon) {
      return status::InvalidField("after", "is not a cursor of this service");
    }
    txid = after.substr(0, colon);
  }
  return pool_->Read(
      [&](pqxx::nontransaction& n)
          -> absl::StatusOr<
              std::pair<std::vector<v1::AppointmentEvent>, std::string>> {
        std::vector<v1::AppointmentEvent> out;
        std::string cursor = after;
        for (const pqxx::row& r :
             db::ExecPrepared(n, kEventsSql, txid, id, limit)) {
          v1::AppointmentEvent& e = out.emplace_back();
          cursor = absl::StrCat(r[0].c_str(), ":", r[1].c_str());
          e.set_cursor(cursor);
          e.set_kind(static_cast<v1::AppointmentEvent::Kind>(r[2].as<int>()));
          e.set_actor(r[3].c_str());
          *e.mutable_time() = ToProto(FromMicros(r[4].as<int64_t>()));
          e.mutable_appointment()->ParseFromString(
              absl::HexStringToBytes(r[5].c_str()));
          if (r[6].as<int64_t>() != 0) {
            *e.mutable_previous_start_time() =
                ToProto(FromMicros(r[6].as<int64_t>()));
          }
          if (!r[7].is_null() && r[7].size() > 0) {
            e.mutable_offer()->ParseFromString(
                absl::HexStringToBytes(r[7].c_str()));
          }
        }
        return std::make_pair(std::move(out), cursor);
      });
}

void PgBookingStore::RecordOk(pqxx::work& w, Audit audit,
                              const std::string& resource,
                              const std::vector<std::string>& resources) const {
  if (audit != nullptr) audit_log_.Record(w, *audit, resource, resources, "OK");
}

absl::Status PgBookingStore::RecordFailure(const audit::AuditContext& audit,
                                           const std::string& resource,
                                           const std::string& outcome) {
  return audit_log_.RecordAlone(audit, resource, outcome);
}

absl::StatusOr<audit::v1::ListAuditEventsResponse>
PgBookingStore::ListAuditEvents(
    const audit::v1::ListAuditEventsRequest& request) {
  return audit_log_.List(request);
}

absl::StatusOr<v1::Appointment> PgBookingStore::Book(const NewAppointment& a,
                                                     const RequestKey& key,
                                                     Audit audit) {
  const Claim& c = a.claim;
  absl::StatusOr<v1::Appointment> booked =
      pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Appointment> {
        // Without a hold: the request's earlier answer, the locks and the
        // check, in one round trip. With one: the earlier answer, then the
        // hold, then the claim.
        const bool held = !a.hold_id.empty();
        pqxx::result checked = held && key.request_id.empty()
                                   ? pqxx::result()
                                   : Claimed(w, key, held ? nullptr : &c,
                                             a.patient, "", a.hold_id);
        if (!checked.empty() && checked[0][0].as<int>() == 0) {
          absl::StatusOr<std::string> prior = EarlierAnswer(checked[0]);
          if (!prior.ok()) return prior.status();
          absl::StatusOr<v1::Appointment> again =
              GetAppointmentIn(w, text::IdOf(*prior), false);
          if (again.ok()) RecordOk(w, audit, again->name(), {again->patient()});
          return again;
        }
        if (!held && !checked.empty()) {
          return InTheWay(checked[0], c, a.patient);
        }
        if (held) {
          pqxx::result h = db::ExecPrepared(w, kGetHoldSql, a.hold_id);
          if (h.empty()) {
            return absl::FailedPreconditionError(
                "hold: the time held for this booking has lapsed; choose the "
                "time again");
          }
          const v1::Hold hold = HoldFromRow(h[0]);
          if (FromProto(hold.expire_time()) <= c.now) {
            return absl::FailedPreconditionError(absl::StrCat(
                "hold: the time held for this booking lapsed at ",
                absl::FormatTime("%H:%M", FromProto(hold.expire_time()),
                                 c.zone),
                "; choose the time again"));
          }
          if (hold.slot().therapist() != c.therapist ||
              hold.slot().location() !=
                  absl::StrCat("locations/", c.location_id) ||
              hold.slot().appointment_type() !=
                  absl::StrCat("appointmentTypes/", c.type_id) ||
              FromProto(hold.slot().start_time()) != c.start) {
            return absl::FailedPreconditionError(
                absl::StrCat("hold: the time held is another one (",
                             Words(FromProto(hold.slot().start_time()), c.zone),
                             "); choose the time again"));
          }
          if (absl::Status s = ClaimTime(w, c, a.patient, "", a.hold_id);
              !s.ok()) {
            return s;
          }
        }
        const v1::Appointment created = InsertBooking(
            w, c, a.patient, a.source, a.notes, a.creator, a.hold_id);
        Requests().Save(w, key, created.name());
        RecordOk(w, audit, created.name(), {created.patient()});
        Publish(w, v1::AppointmentEvent::BOOKED, created, audit);
        return created;
      });
  if (!booked.ok() && IsOverlapViolation(booked.status())) {
    return DescribeConflict(c, a.patient, "", booked.status());
  }
  return booked;
}

absl::Status PgBookingStore::DescribeConflict(const Claim& claim,
                                              const std::string& patient,
                                              const std::string& self_id,
                                              const absl::Status& original) {
  absl::Status described = pool_->Transact([&](pqxx::work& w) -> absl::Status {
    // The same checks as inside the claim, now that the winner committed.
    Claim unlocked = claim;
    return ClaimTime(w, unlocked, patient, self_id, "");
  });
  if (described.code() == absl::StatusCode::kAlreadyExists) return described;
  return SlotTaken(
      "SLOT_TAKEN",
      absl::StrCat("Someone else booked ", Words(claim.start, claim.zone),
                   " a moment ago. Choose another time."),
      {{"therapist", claim.therapist},
       {"start", LocalStart(claim.start, claim.zone)},
       {"time_zone", claim.zone.name()}});
}

absl::StatusOr<v1::Appointment> PgBookingStore::GetAppointment(
    const std::string& id, Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Appointment> {
    absl::StatusOr<v1::Appointment> a = GetAppointmentIn(w, id, false);
    if (a.ok()) RecordOk(w, audit, a->name(), {a->patient()});
    return a;
  });
}

absl::StatusOr<PageOf<v1::Appointment>> PgBookingStore::ListAppointments(
    const AppointmentQuery& q, Audit audit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<PageOf<v1::Appointment>> {
        const bool has = q.page.after.size() == 2;
        int64_t after_start = 0;
        if (has && !absl::SimpleAtoi(q.page.after[0], &after_start)) {
          return status::InvalidField("page_token", "malformed");
        }
        pqxx::result rows =
            w.exec_params(kListAppointmentsSql, JsonArray(q.location_ids),
                          q.therapist, q.patient, q.start_from.has_value(),
                          q.start_from ? Micros(*q.start_from) : 0,
                          q.start_before.has_value(),
                          q.start_before ? Micros(*q.start_before) : 0,
                          q.show_cancelled, q.only_active, has, after_start,
                          has ? q.page.after[1] : "", q.page.size + 1);
        PageOf<v1::Appointment> out;
        for (int i = 0; i < static_cast<int>(rows.size()) && i < q.page.size;
             ++i) {
          out.items.push_back(AppointmentFromRow(rows[i]));
        }
        if (static_cast<int>(rows.size()) > q.page.size) {
          const pqxx::row& last = rows[q.page.size - 1];
          out.next = {last[5].c_str(), last[0].c_str()};
        }
        // Who is seen when: the patients the page shows.
        std::vector<std::string> patients;
        for (const v1::Appointment& a : out.items) {
          if (std::find(patients.begin(), patients.end(), a.patient()) ==
              patients.end()) {
            patients.push_back(a.patient());
          }
        }
        RecordOk(w, audit, "appointments", patients);
        return out;
      });
}

absl::StatusOr<v1::Appointment> PgBookingStore::Reschedule(
    const std::string& id, const Claim& claim, const std::string& etag,
    const RequestKey& key, Audit audit) {
  std::string patient;
  absl::StatusOr<v1::Appointment> moved =
      pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Appointment> {
        absl::StatusOr<std::optional<std::string>> prior =
            Requests().Find(w, key);
        if (!prior.ok()) return prior.status();
        if (prior->has_value()) {
          absl::StatusOr<v1::Appointment> again =
              GetAppointmentIn(w, text::IdOf(**prior), false);
          if (again.ok()) RecordOk(w, audit, again->name(), {again->patient()});
          return again;
        }
        absl::StatusOr<v1::Appointment> current =
            GetAppointmentIn(w, id, /*lock=*/true);
        if (!current.ok()) return current.status();
        if (!etag.empty() && etag != current->etag()) {
          return absl::AbortedError(
              "someone else changed this appointment since it was read; "
              "reload it and try again");
        }
        if (absl::StatusOr<v1::AppointmentState> next =
                Transition(current->state(), Verb::kReschedule);
            !next.ok()) {
          return next.status();
        }
        patient = current->patient();
        if (absl::Status s = ClaimTime(w, claim, patient, id, ""); !s.ok()) {
          return s;
        }
        db::ExecPrepared(w, kMoveAppointmentSql, id, claim.therapist,
                         claim.location_id, Micros(claim.start),
                         Micros(claim.end), Micros(BufferedStart(claim)),
                         Micros(BufferedEnd(claim)));
        Requests().Save(w, key, current->name());
        RecordOk(w, audit, current->name(), {patient});
        absl::StatusOr<v1::Appointment> moved_to =
            GetAppointmentIn(w, id, false);
        if (moved_to.ok()) {
          Publish(w, v1::AppointmentEvent::RESCHEDULED, *moved_to, audit,
                  FromProto(current->start_time()));
        }
        return moved_to;
      });
  if (!moved.ok() && IsOverlapViolation(moved.status())) {
    return DescribeConflict(claim, patient, id, moved.status());
  }
  return moved;
}

absl::StatusOr<v1::Appointment> PgBookingStore::ChangeState(
    const std::string& id, Verb verb, const std::string& etag,
    const std::string& reason,
    absl::FunctionRef<absl::Status(const v1::Appointment&)> check,
    Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Appointment> {
    absl::StatusOr<v1::Appointment> current =
        GetAppointmentIn(w, id, /*lock=*/true);
    if (!current.ok()) return current.status();
    if (!etag.empty() && etag != current->etag()) {
      return absl::AbortedError(
          "someone else changed this appointment since it was read; reload "
          "it and try again");
    }
    absl::StatusOr<v1::AppointmentState> next =
        Transition(current->state(), verb);
    if (!next.ok()) return next.status();
    if (absl::Status s = check(*current); !s.ok()) return s;
    db::ExecPrepared(w, kSetStateSql, id, static_cast<int>(*next),
                     verb == Verb::kCancel ? reason : "");
    // The freed time, for the waitlist's offers (AdvanceOffers).
    if (verb == Verb::kCancel) db::ExecPrepared(w, kFreeSlotSql, id);
    RecordOk(w, audit, current->name(), {current->patient()});
    absl::StatusOr<v1::Appointment> changed = GetAppointmentIn(w, id, false);
    if (changed.ok()) Publish(w, KindOf(verb), *changed, audit);
    return changed;
  });
}

absl::StatusOr<v1::Appointment> PgBookingStore::UndoState(
    const std::string& id, const std::string& etag, const std::string& staff,
    const std::string& reason,
    absl::FunctionRef<absl::Status(const v1::Appointment&)> check,
    Audit audit) {
  absl::StatusOr<v1::Appointment> undone =
      pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Appointment> {
        absl::StatusOr<v1::Appointment> current =
            GetAppointmentIn(w, id, /*lock=*/true);
        if (!current.ok()) return current.status();
        if (!etag.empty() && etag != current->etag()) {
          return absl::AbortedError(
              "someone else changed this appointment; read it again and "
              "retry");
        }
        if (current->state() != v1::APPOINTMENT_STATE_CHECKED_IN &&
            current->state() != v1::APPOINTMENT_STATE_NO_SHOW) {
          return absl::FailedPreconditionError(
              absl::StrCat("the appointment is ", StateName(current->state()),
                           "; only a check-in or a no-show can be undone"));
        }
        if (absl::Status s = check(*current); !s.ok()) return s;
        db::ExecPrepared(w, kUndoStateSql, id, staff, reason);
        RecordOk(w, audit, current->name(), {current->patient()});
        absl::StatusOr<v1::Appointment> undone = GetAppointmentIn(w, id, false);
        if (undone.ok()) {
          Publish(w, v1::AppointmentEvent::STATUS_UNDONE, *undone, audit);
        }
        return undone;
      });
  if (!undone.ok() && IsOverlapViolation(undone.status())) {
    return status::WithReason(
        absl::AlreadyExistsError(
            "The time of this appointment has been booked for someone else "
            "since the no-show; it cannot be restored. Book a new time."),
        {"SLOT_TAKEN", "appointments.clinic", {}});
  }
  return undone;
}

// ---- Waitlist.

absl::StatusOr<v1::WaitlistEntry> PgBookingStore::CreateWaitlistEntry(
    const v1::WaitlistEntry& e, const RequestKey& key, Audit audit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<v1::WaitlistEntry> {
        absl::StatusOr<std::optional<std::string>> prior =
            Requests().Find(w, key);
        if (!prior.ok()) return prior.status();
        if (prior->has_value()) {
          pqxx::result r =
              db::ExecPrepared(w, kGetWaitlistSql, text::IdOf(**prior));
          if (r.empty()) {
            return absl::FailedPreconditionError(absl::StrCat(
                "request_id: ", **prior, " made for it was deleted"));
          }
          v1::WaitlistEntry again = WaitlistFromRow(r[0]);
          RecordOk(w, audit, again.name(), {again.patient()});
          return again;
        }
        pqxx::result r = db::ExecPrepared(
            w, kInsertWaitlistSql, e.patient(), text::IdOf(e.location()),
            text::IdOf(e.appointment_type()), e.therapist(),
            static_cast<int>(e.time_of_day()), FormatDate(e.latest_date()),
            e.priority(), e.notes());
        v1::WaitlistEntry created = WaitlistFromRow(r[0]);
        Requests().Save(w, key, created.name());
        RecordOk(w, audit, created.name(), {created.patient()});
        return created;
      });
}

absl::StatusOr<PageOf<v1::WaitlistEntry>> PgBookingStore::ListWaitlistEntries(
    const WaitlistQuery& q, Audit audit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<PageOf<v1::WaitlistEntry>> {
        const bool has = q.page.after.size() == 3;
        int priority = 0;
        int64_t created = 0;
        if (has && (!absl::SimpleAtoi(q.page.after[0], &priority) ||
                    !absl::SimpleAtoi(q.page.after[1], &created))) {
          return status::InvalidField("page_token", "malformed");
        }
        const bool slot = q.slot.has_value();
        pqxx::result rows = w.exec_params(
            kListWaitlistSql, q.location_id, q.type_id, slot,
            slot ? q.slot->location_id : "", slot ? q.slot->type_id : "",
            slot ? q.slot->therapist : "",
            slot ? FormatDate(FromCivilDay(q.slot->local_day)) : "",
            slot ? static_cast<int>(q.slot->time_of_day) : 0, has, priority,
            created, has ? q.page.after[2] : "", q.page.size + 1);
        PageOf<v1::WaitlistEntry> out;
        for (int i = 0; i < static_cast<int>(rows.size()) && i < q.page.size;
             ++i) {
          out.items.push_back(WaitlistFromRow(rows[i]));
        }
        if (static_cast<int>(rows.size()) > q.page.size) {
          const pqxx::row& last = rows[q.page.size - 1];
          out.next = {last[7].c_str(), last[9].c_str(), last[0].c_str()};
        }
        std::vector<std::string> patients;
        for (const v1::WaitlistEntry& e : out.items) {
          patients.push_back(e.patient());
        }
        RecordOk(w, audit, "waitlistEntries", patients);
        return out;
      });
}

absl::Status PgBookingStore::DeleteWaitlistEntry(const std::string& id,
                                                 Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::Status {
    pqxx::result r = db::ExecPrepared(w, kDeleteWaitlistSql, id);
    if (r.empty()) {
      return absl::NotFoundError("that waitlist entry does not exist");
    }
    RecordOk(w, audit, absl::StrCat("waitlistEntries/", id), {r[0][0].c_str()});
    return absl::OkStatus();
  });
}

// ---- Waitlist offers.

namespace {

constexpr char kOfferColumns[] =
    "o.id::text, o.entry_id::text, o.patient, f.therapist,"
    " f.location_id::text, f.type_id::text,"
    " (extract(epoch FROM f.start_time) * 1000000)::bigint,"
    " (extract(epoch FROM f.end_time) * 1000000)::bigint, l.time_zone,"
    " o.freed_by::text, o.state,"
    " (extract(epoch FROM o.create_time) * 1000000)::bigint,"
    " (extract(epoch FROM o.expire_time) * 1000000)::bigint,"
    " coalesce((extract(epoch FROM o.outcome_time) * 1000000)::bigint, 0),"
    " coalesce(o.appointment_id::text, ''), coalesce(o.hold_id::text, ''),"
    " (extract(epoch FROM lower(f.buffered_range)) * 1000000)::bigint,"
    " (extract(epoch FROM upper(f.buffered_range)) * 1000000)::bigint";
constexpr char kOfferFrom[] =
    " FROM appointments.waitlist_offers o JOIN appointments.freed_slots f"
    " ON f.appointment_id = o.freed_by JOIN appointments.locations l"
    " ON l.id = f.location_id";
// $1 hex of the token's SHA-256.
const std::string kFindOfferSql =
    absl::StrCat("SELECT ", kOfferColumns, kOfferFrom,
                 " WHERE o.token_hash = decode($1, 'hex')");
const std::string kLockOfferSql = kFindOfferSql + " FOR UPDATE OF o";
const std::string kOfferByIdSql = absl::StrCat(
    "SELECT ", kOfferColumns, kOfferFrom, " WHERE o.id = $1::uuid");
// $1 location, $2 entry, $3 patient ('' for any), $4 limit.
const std::string kListOffersSql =
    absl::StrCat("SELECT ", kOfferColumns, kOfferFrom,
                 " WHERE ($1 = '' OR f.location_id = NULLIF($1, '')::uuid)"
                 " AND ($2 = '' OR o.entry_id = NULLIF($2, '')::uuid)"
                 " AND ($3 = '' OR o.patient = $3)"
                 " ORDER BY o.create_time DESC, o.id LIMIT $4");
// Open freed times, oldest first; locked, so that another replica's pass
// skips them.
constexpr char kOpenFreedSql[] =
    "SELECT f.appointment_id::text, f.patient, f.therapist,"
    " f.location_id::text, f.type_id::text,"
    " (extract(epoch FROM f.start_time) * 1000000)::bigint,"
    " (extract(epoch FROM f.end_time) * 1000000)::bigint,"
    " (extract(epoch FROM lower(f.buffered_range)) * 1000000)::bigint,"
    " (extract(epoch FROM upper(f.buffered_range)) * 1000000)::bigint,"
    " l.time_zone FROM appointments.freed_slots f"
    " JOIN appointments.locations l ON l.id = f.location_id"
    " WHERE f.open ORDER BY f.create_time LIMIT 20 FOR UPDATE OF f SKIP LOCKED";
// $1 freed time: its live offer.
constexpr char kLiveOfferSql[] =
    "SELECT id::text, (extract(epoch FROM expire_time) * 1000000)::bigint,"
    " coalesce(hold_id::text, '') FROM appointments.waitlist_offers"
    " WHERE freed_by = $1::uuid AND state = 1";
constexpr char kLapseOfferSql[] =
    "UPDATE appointments.waitlist_offers SET state = 3,"
    " outcome_time = expire_time, hold_id = NULL WHERE id = $1::uuid";
constexpr char kCloseFreedSql[] =
    "UPDATE appointments.freed_slots SET open = false"
    " WHERE appointment_id = $1::uuid";
// The entries a freed time suits, best first: $1 location, $2 type,
// $3 therapist, $4 local date, $5 time of day, $6 freed time, $7 the patient
// who cancelled, $8 now. Not an entry offered this time before, nor one
// holding a live offer of another.
constexpr char kOfferCandidatesSql[] =
    "SELECT e.id::text, e.patient FROM appointments.waitlist_entries e"
    " WHERE e.location_id = $1::uuid AND e.type_id = $2::uuid"
    " AND (e.therapist = '' OR e.therapist = $3)"
    " AND e.latest_date >= $4::date"
    " AND (e.time_of_day = 0 OR e.time_of_day = $5) AND e.patient <> $7"
    " AND NOT EXISTS (SELECT 1 FROM appointments.waitlist_offers o"
    "   WHERE o.entry_id = e.id AND (o.freed_by = $6::uuid OR (o.state = 1"
    "   AND o.expire_time > appointments.from_micros($8))))"
    " ORDER BY e.priority DESC, e.create_time, e.id LIMIT 20";
// $1 id, $2 freed time, $3 entry, $4 patient, $5 hold, $6 expiry, $7 hex of
// the token's SHA-256, $8 now.
constexpr char kInsertOfferSql[] =
    "INSERT INTO appointments.waitlist_offers (id, freed_by, entry_id,"
    " patient, hold_id, expire_time, token_hash, create_time) VALUES"
    " ($1::uuid, $2::uuid, $3::uuid, $4, $5::uuid,"
    " appointments.from_micros($6), decode($7, 'hex'),"
    " appointments.from_micros($8))";
// $1 offer, $2 appointment, $3 now.
constexpr char kTakeOfferSql[] =
    "UPDATE appointments.waitlist_offers SET state = 2,"
    " appointment_id = $2::uuid, outcome_time = appointments.from_micros($3),"
    " hold_id = NULL WHERE id = $1::uuid";
constexpr char kRemoveEntrySql[] =
    "DELETE FROM appointments.waitlist_entries WHERE id = $1::uuid";
// The outbox event of an offer: $1 the freed appointment, $2 its body (hex),
// $3 the offer (hex).
constexpr char kInsertOfferEventSql[] =
    "INSERT INTO appointments.events (appointment_id, kind, actor, body,"
    " offer) VALUES ($1::uuid, 9, '', decode($2, 'hex'), decode($3, 'hex'))";

v1::WaitlistOffer OfferFromRow(const pqxx::row& r) {
  v1::WaitlistOffer o;
  o.set_name(absl::StrCat("waitlistOffers/", r[0].c_str()));
  o.set_waitlist_entry(absl::StrCat("waitlistEntries/", r[1].c_str()));
  o.set_patient(r[2].c_str());
  v1::Slot* s = o.mutable_slot();
  s->set_therapist(r[3].c_str());
  s->set_location(absl::StrCat("locations/", r[4].c_str()));
  s->set_appointment_type(absl::StrCat("appointmentTypes/", r[5].c_str()));
  const absl::Time start = FromMicros(r[6].as<int64_t>());
  *s->mutable_start_time() = ToProto(start);
  *s->mutable_end_time() = ToProto(FromMicros(r[7].as<int64_t>()));
  s->set_time_zone(r[8].c_str());
  s->set_local_start(LocalStart(start, ZoneOrUtc(r[8].c_str())));
  o.set_freed_by(absl::StrCat("appointments/", r[9].c_str()));
  o.set_state(static_cast<v1::WaitlistOffer::State>(r[10].as<int>()));
  *o.mutable_create_time() = ToProto(FromMicros(r[11].as<int64_t>()));
  *o.mutable_expire_time() = ToProto(FromMicros(r[12].as<int64_t>()));
  if (r[13].as<int64_t>() != 0) {
    *o.mutable_outcome_time() = ToProto(FromMicros(r[13].as<int64_t>()));
  }
  if (r[14].size() > 0) {
    o.set_appointment(absl::StrCat("appointments/", r[14].c_str()));
  }
  return o;
}

// The claim of a freed time from columns at `at`: therapist, location,
// type, start, end, buffered start, buffered end, zone.
Claim FreedClaim(const pqxx::row& r, int therapist, int start, int bstart,
                 int zone, absl::Time now) {
  Claim c;
  c.therapist = r[therapist].c_str();
  c.location_id = r[therapist + 1].c_str();
  c.type_id = r[therapist + 2].c_str();
  c.start = FromMicros(r[start].as<int64_t>());
  c.end = FromMicros(r[start + 1].as<int64_t>());
  c.buffer_before = c.start - FromMicros(r[bstart].as<int64_t>());
  c.buffer_after = FromMicros(r[bstart + 1].as<int64_t>()) - c.end;
  c.zone = ZoneOrUtc(r[zone].c_str());
  c.now = now;
  return c;
}

}  // namespace

absl::StatusOr<int> PgBookingStore::AdvanceOffers(const OfferPolicy& policy,
                                                  absl::Time now) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<int> {
    int made = 0;
    const pqxx::result freed_rows = db::ExecPrepared(w, kOpenFreedSql);
    for (const pqxx::row& f : freed_rows) {
      const std::string freed = f[0].c_str();
      const pqxx::result live = db::ExecPrepared(w, kLiveOfferSql, freed);
      if (!live.empty()) {
        if (FromMicros(live[0][1].as<int64_t>()) > now) continue;
        db::ExecPrepared(w, kLapseOfferSql, live[0][0].c_str());
        if (live[0][2].size() > 0) {
          db::ExecPrepared(w, kDeleteHoldSql, live[0][2].c_str());
        }
      }
      const Claim c = FreedClaim(f, 2, 5, 7, 9, now);
      const absl::Time latest = c.start - policy.min_notice;
      if (latest - now < absl::Minutes(10)) {
        db::ExecPrepared(w, kCloseFreedSql, freed);
        continue;
      }
      // Held from the morning when offered at night (the person sleeps).
      absl::Time from = now;
      if (const absl::CivilSecond here = c.zone.At(now).cs;
          here.hour() >= policy.night_from || here.hour() < policy.night_to) {
        absl::CivilDay morning(here);
        if (here.hour() >= policy.night_from) morning += 1;
        from = c.zone
                   .At(absl::CivilHour(morning.year(), morning.month(),
                                       morning.day(), policy.night_to))
                   .pre;
      }
      const absl::Time expire = std::min(from + policy.hold, latest);
      const absl::CivilSecond local = c.zone.At(c.start).cs;
      const pqxx::result candidates = db::ExecPrepared(
          w, kOfferCandidatesSql, c.location_id, c.type_id, c.therapist,
          absl::FormatCivilTime(absl::CivilDay(local)),
          static_cast<int>(TimeOfDayOf(local.hour() * 60 + local.minute())),
          freed, f[1].c_str(), Micros(now));
      bool offered = false;
      for (const pqxx::row& e : candidates) {
        const std::string patient = e[1].c_str();
        if (absl::Status s = ClaimTime(w, c, patient, "", ""); !s.ok()) {
          std::optional<status::Reason> why = status::ReasonOf(s);
          if (why && why->reason == "PATIENT_BUSY") continue;
          break;  // taken or held by someone else: nothing to offer
        }
        db::ExecPrepared(w, kDropExpiredHoldsSql, c.therapist, Micros(now));
        const std::string hold =
            db::ExecPrepared(w, kInsertHoldSql, c.therapist, c.location_id,
                             c.type_id, Micros(c.start), Micros(c.end),
                             Micros(BufferedStart(c)), Micros(BufferedEnd(c)),
                             Micros(expire))[0][0]
                .c_str();
        const std::string id =
            w.exec("SELECT gen_random_uuid()::text")[0][0].c_str();
        db::ExecPrepared(w, kInsertOfferSql, id, freed, e[0].c_str(), patient,
                         hold, Micros(expire),
                         db::HexEncode(policy.token_hash(id)), Micros(now));
        const v1::WaitlistOffer offer =
            OfferFromRow(db::ExecPrepared(w, kOfferByIdSql, id)[0]);
        absl::StatusOr<v1::Appointment> cancelled =
            GetAppointmentIn(w, freed, false);
        if (!cancelled.ok()) return cancelled.status();
        cancelled->clear_etag();
        db::ExecPrepared(w, kInsertOfferEventSql, freed,
                         db::HexEncode(cancelled->SerializeAsString()),
                         db::HexEncode(offer.SerializeAsString()));
        ++made;
        offered = true;
        break;
      }
      if (!offered) db::ExecPrepared(w, kCloseFreedSql, freed);
    }
    return made;
  });
}

absl::StatusOr<v1::WaitlistOffer> PgBookingStore::FindOffer(
    const std::string& token_hash) {
  return pool_->Read(
      [&](pqxx::nontransaction& n) -> absl::StatusOr<v1::WaitlistOffer> {
        pqxx::result r =
            n.exec_params(kFindOfferSql, db::HexEncode(token_hash));
        if (r.empty()) return absl::NotFoundError("no such offer");
        return OfferFromRow(r[0]);
      });
}

absl::StatusOr<v1::Appointment> PgBookingStore::AcceptOffer(
    const std::string& token_hash, absl::Time now, Audit audit) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<v1::Appointment> {
    const pqxx::result o =
        db::ExecPrepared(w, kLockOfferSql, db::HexEncode(token_hash));
    if (o.empty()) return absl::NotFoundError("no such offer");
    const pqxx::row row = o[0];
    const v1::WaitlistOffer offer = OfferFromRow(row);
    if (offer.state() == v1::WaitlistOffer::ACCEPTED) {
      absl::StatusOr<v1::Appointment> taken =
          GetAppointmentIn(w, text::IdOf(offer.appointment()), false);
      if (taken.ok()) RecordOk(w, audit, taken->name(), {taken->patient()});
      return taken;
    }
    const Claim c = FreedClaim(row, 3, 6, 16, 8, now);
    const absl::Time expire = FromProto(offer.expire_time());
    if (offer.state() != v1::WaitlistOffer::OFFERED || expire <= now) {
      return status::WithReason(
          absl::FailedPreconditionError(absl::StrCat(
              "This time was held for you until ", Words(expire, c.zone),
              "; it has been offered to the next person on the waitlist.")),
          {"OFFER_LAPSED", "appointments.clinic", {}});
    }
    const std::string hold = row[15].c_str();
    if (absl::Status s = ClaimTime(w, c, offer.patient(), "", hold); !s.ok()) {
      return s;
    }
    const v1::Appointment created = InsertBooking(
        w, c, offer.patient(), v1::APPOINTMENT_SOURCE_WAITLIST_OFFER, "",
        "online", hold);
    db::ExecPrepared(w, kTakeOfferSql, text::IdOf(offer.name()),
                     text::IdOf(created.name()), Micros(now));
    db::ExecPrepared(w, kCloseFreedSql, text::IdOf(offer.freed_by()));
    db::ExecPrepared(w, kRemoveEntrySql, text::IdOf(offer.waitlist_entry()));
    RecordOk(w, audit, created.name(), {created.patient()});
    Publish(w, v1::AppointmentEvent::BOOKED, created, audit);
    return created;
  });
}

absl::StatusOr<std::vector<v1::WaitlistOffer>> PgBookingStore::ListOffers(
    const OfferQuery& q, Audit audit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<std::vector<v1::WaitlistOffer>> {
        std::vector<v1::WaitlistOffer> out;
        std::vector<std::string> patients;
        for (const pqxx::row& r :
             w.exec_params(kListOffersSql, q.location_id, q.entry_id, q.patient,
                           q.limit)) {
          out.push_back(OfferFromRow(r));
          if (std::find(patients.begin(), patients.end(),
                        out.back().patient()) == patients.end()) {
            patients.push_back(out.back().patient());
          }
        }
        RecordOk(w, audit, "waitlistOffers", patients);
        return out;
      });
}

// ---- Manage links.

absl::Status PgBookingStore::SaveManageToken(const std::string& token_hash,
                                             const std::string& appointment_id,
                                             absl::Time expire_time) {
  return pool_->Transact([&](pqxx::work& w) -> absl::Status {
    w.exec_params(kSaveManageTokenSql, db::HexEncode(token_hash),
                  appointment_id, Micros(expire_time));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::string> PgBookingStore::FindManageToken(
    const std::string& token_hash, absl::Time now) {
  return pool_->Read(
      [&](pqxx::nontransaction& n) -> absl::StatusOr<std::string> {
        pqxx::result r = n.exec_params(kFindManageTokenSql,
                                       db::HexEncode(token_hash), Micros(now));
        if (r.empty()) return absl::NotFoundError("no such link");
        return std::string(r[0][0].c_str());
      });
}

}  // namespace clinic::appointments
