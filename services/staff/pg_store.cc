#include "services/staff/pg_store.h"

#include <algorithm>
#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/db/idempotency.h"
#include "services/common/db/migrations.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"
#include "services/common/time/timestamps.h"
#include "services/staff/migrations.h"

namespace clinic::staff {
namespace {

using v1::StaffMember;

// Instants travel as microseconds since the Unix epoch (bigint) and are
// turned into timestamptz exactly (no floating point).
#define CLINIC_AT(n) \
  "(timestamptz 'epoch' + " n "::bigint * interval '1 microsecond')"
#define CLINIC_MICROS(col) "(extract(epoch FROM " col ") * 1000000)::bigint"

// Every query the store runs, by name.
constexpr char kColumns[] =
    "id::text, given_name, family_name, email, array_to_string(roles, ','), "
    "array_to_string(credentials, ','), array_to_string(home_locations, ','), "
    "state, " CLINIC_MICROS("create_time") ", " CLINIC_MICROS("update_time")
    ", COALESCE(" CLINIC_MICROS("deactivate_time") ", 0), version, "
    "lower(family_name), lower(given_name), password_hash";
constexpr int kFamilyKeyColumn = 12;
constexpr int kGivenKeyColumn = 13;
constexpr int kHashColumn = 14;

const std::string kGetSql =
    absl::StrCat("SELECT ", kColumns, " FROM staff.members WHERE id = $1");
const std::string kFindByEmailSql = absl::StrCat(
    "SELECT ", kColumns, " FROM staff.members WHERE lower(email) = lower($1)");

// $1 show_deactivated, $2 role or 0, $3 home location or '', $4 has cursor,
// $5..$7 cursor, $8 limit.
const std::string kListSql =
    absl::StrCat("SELECT ", kColumns,
                 " FROM staff.members"
                 " WHERE ($1 OR state = 1)"
                 " AND ($2 = 0 OR $2::smallint = ANY (roles))"
                 " AND ($3 = '' OR $3 = ANY (home_locations))"
                 " AND (NOT $4 OR (lower(family_name), lower(given_name), id) >"
                 "                ($5, $6, NULLIF($7, '')::uuid))"
                 " ORDER BY lower(family_name), lower(given_name), id"
                 " LIMIT $8");

constexpr char kEmailTakenSql[] =
    "SELECT 1 FROM staff.members WHERE lower(email) = lower($1)"
    " AND id::text <> $2";

// $1..$6: the editable fields; arrays as comma-joined text.
const std::string kInsertSql = absl::StrCat(
    "INSERT INTO staff.members (given_name, family_name, email, roles,"
    " credentials, home_locations, password_hash)"
    " VALUES ($1, $2, $3, string_to_array($4, ',')::smallint[],"
    " string_to_array($5, ','), string_to_array($6, ','), $7) RETURNING ",
    kColumns);

constexpr char kLockForUpdateSql[] =
    "SELECT version, state, array_to_string(roles, ','),"
    " lower(email) = lower($2) FROM staff.members WHERE id = $1 FOR UPDATE";

const std::string kUpdateSql = absl::StrCat(
    "UPDATE staff.members SET given_name = $1, family_name = $2, email = $3,"
    " roles = string_to_array($4, ',')::smallint[],"
    " credentials = string_to_array($5, ','),"
    " home_locations = string_to_array($6, ','),"
    " version = version + 1, update_time = now()"
    " WHERE id = $7 RETURNING ",
    kColumns);

const std::string kDeactivateSql = absl::StrCat(
    "UPDATE staff.members SET state = 2, deactivate_time = now(),"
    " update_time = now(), version = version + 1"
    " WHERE id = $1 AND state = 1 RETURNING ",
    kColumns);

constexpr char kSetPasswordSql[] =
    "UPDATE staff.members SET password_hash = $2, password_change_time = now()"
    " WHERE id = $1 AND state = 1";
constexpr char kRehashSql[] =
    "UPDATE staff.members SET password_hash = $3"
    " WHERE id = $1 AND password_hash = $2";
constexpr char kStateSql[] = "SELECT state FROM staff.members WHERE id = $1";

constexpr char kLockBootstrapSql[] =
    "SELECT pg_advisory_xact_lock(hashtext('staff.bootstrap'))";
constexpr char kActiveAdminExistsSql[] =
    "SELECT EXISTS (SELECT 1 FROM staff.members"
    " WHERE state = 1 AND 1::smallint = ANY (roles))";

// Retried creations: results are the member's name ("staff/{id}").
const db::RequestLog& Requests() {
  static const auto* const kLog = new db::RequestLog("staff");
  return *kLog;
}

// Sessions.
constexpr char kSessionColumns[] =
    "s.id::text, s.member_id::text, " CLINIC_MICROS("s.create_time") ", "
    CLINIC_MICROS("s.last_seen_time") ", " CLINIC_MICROS("s.expire_time")
    ", s.client_address, s.user_agent, s.end_time IS NOT NULL";

const std::string kInsertSessionSql = absl::StrCat(
    "INSERT INTO staff.sessions AS s (member_id, token_hash, create_time,"
    " last_seen_time, expire_time, client_address, user_agent)"
    " VALUES ($1, decode($2, 'hex'), " CLINIC_AT("$3") ", " CLINIC_AT(
        "$3") ", " CLINIC_AT("$4") ", $5, $6) RETURNING ",
    kSessionColumns);

const std::string kFindSessionSql = absl::StrCat(
    "SELECT ", kSessionColumns,
    " FROM staff.sessions s WHERE s.token_hash = decode($1, 'hex')");

const std::string kGetSessionSql =
    absl::StrCat("SELECT ", kSessionColumns,
                 " FROM staff.sessions s WHERE s.id = $2 AND s.member_id = $1");

constexpr char kTouchSessionSql[] =
    "UPDATE staff.sessions SET last_seen_time = " CLINIC_AT("$2")
    " WHERE id = $1 AND end_time IS NULL AND last_seen_time < " CLINIC_AT("$2");

constexpr char kEndSessionSql[] =
    "UPDATE staff.sessions SET end_time = " CLINIC_AT(
        "$3") ", ended_reason = $2 WHERE id = $1 AND end_time IS NULL";

constexpr char kEndMemberSessionsSql[] =
    "UPDATE staff.sessions SET end_time = " CLINIC_AT(
        "$3") ", ended_reason = $2 WHERE member_id = $1 AND end_time IS NULL";

const std::string kListActiveSessionsSql = absl::StrCat(
    "SELECT ", kSessionColumns,
    " FROM staff.sessions s WHERE s.member_id = $1 AND s.end_time IS NULL"
    " AND s.expire_time > " CLINIC_AT("$2")
    " AND s.last_seen_time > " CLINIC_AT("$3")
    " ORDER BY s.create_time DESC, s.id");

// Login throttling.
constexpr char kLockThrottleKeySql[] =
    "SELECT pg_advisory_xact_lock(hashtext('staff.login:' || $1))";
constexpr char kFailuresSql[] =
    "SELECT " CLINIC_MICROS("time")
    " FROM staff.login_failures WHERE key = $1 AND time > " CLINIC_AT("$2");
constexpr char kPurgeFailuresSql[] =
    "DELETE FROM staff.login_failures WHERE key = $1 AND time <= " CLINIC_AT(
        "$2");
constexpr char kRecordFailureSql[] =
    "INSERT INTO staff.login_failures (key, time) VALUES ($1, " CLINIC_AT(
        "$2") ") RETURNING id";
constexpr char kForgiveIdSql[] =
    "DELETE FROM staff.login_failures WHERE id = $1";
constexpr char kForgiveKeySql[] =
    "DELETE FROM staff.login_failures WHERE key = $1";

#undef CLINIC_AT
#undef CLINIC_MICROS

std::vector<std::string> SplitList(const char* joined) {
  return absl::StrSplit(joined, ',', absl::SkipEmpty());
}

StaffMember FromRow(const pqxx::row& r) {
  StaffMember m;
  m.set_name(absl::StrCat("staff/", r[0].c_str()));
  m.set_given_name(r[1].c_str());
  m.set_family_name(r[2].c_str());
  m.set_email(r[3].c_str());
  for (const std::string& role : SplitList(r[4].c_str())) {
    int value = 0;
    if (absl::SimpleAtoi(role, &value)) {
      m.add_roles(static_cast<api::v1::StaffRole>(value));
    }
  }
  for (std::string& c : SplitList(r[5].c_str())) {
    m.add_credentials(std::move(c));
  }
  for (std::string& l : SplitList(r[6].c_str())) {
    m.add_home_locations(std::move(l));
  }
  m.set_state(static_cast<v1::StaffState>(r[7].as<int>()));
  *m.mutable_create_time() = time::TimestampFromMicros(r[8].as<int64_t>());
  *m.mutable_update_time() = time::TimestampFromMicros(r[9].as<int64_t>());
  if (int64_t t = r[10].as<int64_t>(); t != 0) {
    *m.mutable_deactivate_time() = time::TimestampFromMicros(t);
  }
  m.set_etag(r[11].c_str());
  return m;
}

MemberCredentials CredentialsFromRow(const pqxx::row& r) {
  MemberCredentials c;
  c.member = FromRow(r);
  c.id = r[0].c_str();
  c.password_hash = r[kHashColumn].c_str();
  return c;
}

SessionRecord SessionFromRow(const pqxx::row& r) {
  SessionRecord s;
  s.id = r[0].c_str();
  s.member_id = r[1].c_str();
  s.create_time = absl::FromUnixMicros(r[2].as<int64_t>());
  s.last_seen_time = absl::FromUnixMicros(r[3].as<int64_t>());
  s.expire_time = absl::FromUnixMicros(r[4].as<int64_t>());
  s.client_address = r[5].c_str();
  s.user_agent = r[6].c_str();
  s.ended = r[7].as<bool>();
  return s;
}

std::string RolesText(const StaffMember& m) {
  std::vector<int> roles(m.roles().begin(), m.roles().end());
  std::sort(roles.begin(), roles.end());
  return absl::StrJoin(roles, ",");
}

// Runs kInsertSql for `m`.
pqxx::result InsertMember(pqxx::work& w, const StaffMember& m,
                          const std::string& password_hash) {
  return w.exec_params(kInsertSql, m.given_name(), m.family_name(), m.email(),
                       RolesText(m), absl::StrJoin(m.credentials(), ","),
                       absl::StrJoin(m.home_locations(), ","), password_hash);
}

absl::Status CheckEmailFree(pqxx::work& w, const std::string& email,
                            const std::string& except_id) {
  if (!w.exec_params(kEmailTakenSql, email, except_id).empty()) {
    return status::WithReason(
        status::WithFieldViolations(
            absl::AlreadyExistsError(
                "staff_member.email: already used by another staff member"),
            {{"staff_member.email", "already used by another staff member"}}),
        {"EMAIL_TAKEN", "staff.clinic", {}});
  }
  return absl::OkStatus();
}

absl::StatusOr<MemberCredentials> GetIn(pqxx::work& w, const std::string& id) {
  pqxx::result r = w.exec_params(kGetSql, id);
  if (r.empty()) {
    return absl::NotFoundError(absl::StrCat("staff/", id, " not found"));
  }
  return CredentialsFromRow(r[0]);
}

void EndMemberSessions(pqxx::work& w, const std::string& id, EndReason reason,
                       absl::Time now) {
  w.exec_params(kEndMemberSessionsSql, id, EndReasonName(reason),
                absl::ToUnixMicros(now));
}

}  // namespace

const char* EndReasonName(EndReason reason) {
  switch (reason) {
    case EndReason::kLogout:
      return "logout";
    case EndReason::kRevoked:
      return "revoked";
    case EndReason::kIdle:
      return "idle";
    case EndReason::kExpired:
      return "expired";
    case EndReason::kPasswordChanged:
      return "password_changed";
    case EndReason::kPasswordReset:
      return "password_reset";
    case EndReason::kDeactivated:
      return "deactivated";
    case EndReason::kAccountChanged:
      return "account_changed";
  }
  return "unknown";
}

absl::Status MigrateStaff(const std::string& conninfo) {
  return db::ApplyMigrations(conninfo, kSchema, Migrations());
}

absl::StatusOr<StaffMember> PgStaffStore::Get(const std::string& id) {
  absl::StatusOr<MemberCredentials> c = GetCredentials(id);
  if (!c.ok()) return c.status();
  return std::move(c->member);
}

absl::StatusOr<MemberCredentials> PgStaffStore::GetCredentials(
    const std::string& id) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<MemberCredentials> {
        return GetIn(w, id);
      });
}

absl::StatusOr<std::optional<MemberCredentials>> PgStaffStore::FindByEmail(
    const std::string& email) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<std::optional<MemberCredentials>> {
        pqxx::result r = w.exec_params(kFindByEmailSql, email);
        if (r.empty()) return std::optional<MemberCredentials>();
        return std::optional<MemberCredentials>(CredentialsFromRow(r[0]));
      });
}

absl::StatusOr<ListResult> PgStaffStore::List(const ListQuery& q) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<ListResult> {
    pqxx::result rows =
        w.exec_params(kListSql, q.show_deactivated, q.role, q.home_location,
                      q.after.has_value(), q.after ? q.after->family_key : "",
                      q.after ? q.after->given_key : "",
                      q.after ? q.after->id : "", q.page_size + 1);
    ListResult result;
    for (int i = 0; i < static_cast<int>(rows.size()) && i < q.page_size; ++i) {
      result.members.push_back(FromRow(rows[i]));
    }
    if (static_cast<int>(rows.size()) > q.page_size) {
      const pqxx::row& last = rows[q.page_size - 1];
      result.next = ListCursor{last[kFamilyKeyColumn].c_str(),
                               last[kGivenKeyColumn].c_str(), last[0].c_str()};
    }
    return result;
  });
}

absl::StatusOr<CreateResult> PgStaffStore::Create(
    const StaffMember& member, const std::string& password_hash,
    const RequestKey& key) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<CreateResult> {
    CreateResult result;
    absl::StatusOr<std::optional<std::string>> prior = Requests().Find(w, key);
    if (!prior.ok()) return prior.status();
    if (prior->has_value()) {
      absl::StatusOr<MemberCredentials> c = GetIn(w, text::IdOf(**prior));
      if (!c.ok()) return c.status();
      result.member = std::move(c->member);
      return result;
    }
    if (absl::Status s = CheckEmailFree(w, member.email(), ""); !s.ok()) {
      return s;
    }
    pqxx::result r = InsertMember(w, member, password_hash);
    result.member = FromRow(r[0]);
    result.created = true;
    Requests().Save(w, key, result.member.name());
    return result;
  });
}

absl::StatusOr<StaffMember> PgStaffStore::CreateFirstAdmin(
    const StaffMember& member, const std::string& password_hash) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<StaffMember> {
    w.exec(kLockBootstrapSql);
    if (w.exec(kActiveAdminExistsSql)[0][0].as<bool>()) {
      return absl::FailedPreconditionError("an active admin already exists");
    }
    if (absl::Status s = CheckEmailFree(w, member.email(), ""); !s.ok()) {
      return s;
    }
    return FromRow(InsertMember(w, member, password_hash)[0]);
  });
}

absl::StatusOr<StaffMember> PgStaffStore::Update(const std::string& id,
                                                 const StaffMember& member,
                                                 absl::Time now) {
  int64_t version = 0;
  if (!absl::SimpleAtoi(member.etag(), &version)) {
    return absl::AbortedError(
        absl::StrCat("staff/", id, ": etag ", member.etag(),
                     " is not current; read the member again and retry"));
  }
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<StaffMember> {
    pqxx::result cur = w.exec_params(kLockForUpdateSql, id, member.email());
    if (cur.empty()) {
      return absl::NotFoundError(absl::StrCat("staff/", id, " not found"));
    }
    if (cur[0][1].as<int>() == v1::STAFF_STATE_DEACTIVATED) {
      return absl::FailedPreconditionError(
          absl::StrCat("staff/", id, " is deactivated"));
    }
    if (cur[0][0].as<int64_t>() != version) {
      return absl::AbortedError(absl::StrCat(
          "staff/", id, " changed since etag ", member.etag(),
          " was read (now ", cur[0][0].c_str(), "); read it again and retry"));
    }
    if (absl::Status s = CheckEmailFree(w, member.email(), id); !s.ok()) {
      return s;
    }
    const std::string roles = RolesText(member);
    pqxx::result r = w.exec_params(
        kUpdateSql, member.given_name(), member.family_name(), member.email(),
        roles, absl::StrJoin(member.credentials(), ","),
        absl::StrJoin(member.home_locations(), ","), id);
    StaffMember updated = FromRow(r[0]);
    const bool roles_changed = roles != cur[0][2].c_str();
    const bool email_changed = !cur[0][3].as<bool>();
    if (roles_changed || email_changed) {
      EndMemberSessions(w, id, EndReason::kAccountChanged, now);
    }
    return updated;
  });
}

absl::StatusOr<StaffMember> PgStaffStore::Deactivate(const std::string& id,
                                                     absl::Time now) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<StaffMember> {
    pqxx::result r = w.exec_params(kDeactivateSql, id);
    if (r.empty()) {
      // Missing, or already deactivated (then a no-op).
      absl::StatusOr<MemberCredentials> c = GetIn(w, id);
      if (!c.ok()) return c.status();
      EndMemberSessions(w, id, EndReason::kDeactivated, now);
      return std::move(c->member);
    }
    EndMemberSessions(w, id, EndReason::kDeactivated, now);
    return FromRow(r[0]);
  });
}

absl::Status PgStaffStore::SetPassword(const std::string& id,
                                       const std::string& password_hash,
                                       EndReason reason, absl::Time now) {
  return pool_->Transact([&](pqxx::work& w) -> absl::Status {
    pqxx::result r = w.exec_params(kSetPasswordSql, id, password_hash);
    if (r.affected_rows() == 0) {
      pqxx::result state = w.exec_params(kStateSql, id);
      if (state.empty()) {
        return absl::NotFoundError(absl::StrCat("staff/", id, " not found"));
      }
      return absl::FailedPreconditionError(
          absl::StrCat("staff/", id, " is deactivated"));
    }
    EndMemberSessions(w, id, reason, now);
    return absl::OkStatus();
  });
}

absl::Status PgStaffStore::RehashPassword(const std::string& id,
                                          const std::string& old_hash,
                                          const std::string& new_hash) {
  return pool_->Transact([&](pqxx::work& w) -> absl::Status {
    w.exec_params(kRehashSql, id, old_hash, new_hash);
    return absl::OkStatus();
  });
}

absl::StatusOr<SessionRecord> PgStaffStore::CreateSession(
    const SessionRecord& s, const std::string& token_hash) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<SessionRecord> {
    pqxx::result r = w.exec_params(
        kInsertSessionSql, s.member_id, db::HexEncode(token_hash),
        absl::ToUnixMicros(s.create_time), absl::ToUnixMicros(s.expire_time),
        s.client_address, s.user_agent);
    return SessionFromRow(r[0]);
  });
}

absl::StatusOr<SessionWithMember> PgStaffStore::FindSession(
    const std::string& token_hash) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<SessionWithMember> {
        pqxx::result r =
            w.exec_params(kFindSessionSql, db::HexEncode(token_hash));
        if (r.empty()) return absl::NotFoundError("no such session");
        SessionWithMember found;
        found.session = SessionFromRow(r[0]);
        absl::StatusOr<MemberCredentials> c = GetIn(w, found.session.member_id);
        if (!c.ok()) return c.status();
        found.member = std::move(c->member);
        return found;
      });
}

absl::StatusOr<SessionRecord> PgStaffStore::GetSession(
    const std::string& member_id, const std::string& session_id) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<SessionRecord> {
    pqxx::result r = w.exec_params(kGetSessionSql, member_id, session_id);
    if (r.empty()) {
      return absl::NotFoundError(absl::StrCat("staff/", member_id, "/sessions/",
                                              session_id, " not found"));
    }
    return SessionFromRow(r[0]);
  });
}

absl::Status PgStaffStore::TouchSession(const std::string& session_id,
                                        absl::Time now) {
  return pool_->Transact([&](pqxx::work& w) -> absl::Status {
    w.exec_params(kTouchSessionSql, session_id, absl::ToUnixMicros(now));
    return absl::OkStatus();
  });
}

absl::Status PgStaffStore::EndSession(const std::string& session_id,
                                      EndReason reason, absl::Time now) {
  return pool_->Transact([&](pqxx::work& w) -> absl::Status {
    w.exec_params(kEndSessionSql, session_id, EndReasonName(reason),
                  absl::ToUnixMicros(now));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<SessionRecord>> PgStaffStore::ListActiveSessions(
    const std::string& member_id, absl::Time now, absl::Time idle_since) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<std::vector<SessionRecord>> {
        pqxx::result r = w.exec_params(kListActiveSessionsSql, member_id,
                                       absl::ToUnixMicros(now),
                                       absl::ToUnixMicros(idle_since));
        std::vector<SessionRecord> sessions;
        for (const pqxx::row& row : r) sessions.push_back(SessionFromRow(row));
        return sessions;
      });
}

absl::StatusOr<std::vector<int64_t>> PgStaffStore::AdmitLoginAttempt(
    const std::vector<ThrottleKey>& keys, absl::Time now) {
  // Lock in a fixed order so two attempts never wait on each other in a
  // cycle.
  std::vector<const ThrottleKey*> sorted;
  for (const ThrottleKey& k : keys) sorted.push_back(&k);
  std::sort(sorted.begin(), sorted.end(),
            [](const ThrottleKey* a, const ThrottleKey* b) {
              return a->key < b->key;
            });
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<std::vector<int64_t>> {
        absl::Duration wait = absl::ZeroDuration();
        for (const ThrottleKey* k : sorted) {
          w.exec_params(kLockThrottleKeySql, k->key);
          const int64_t since = absl::ToUnixMicros(now - k->policy.window);
          w.exec_params(kPurgeFailuresSql, k->key, since);
          std::vector<absl::Time> failures;
          for (const pqxx::row& row :
               w.exec_params(kFailuresSql, k->key, since)) {
            failures.push_back(absl::FromUnixMicros(row[0].as<int64_t>()));
          }
          ThrottleDecision d = DecideThrottle(k->policy, failures, now);
          if (!d.allowed) wait = std::max(wait, d.retry_after);
        }
        if (wait > absl::ZeroDuration()) return ThrottledError(wait);
        std::vector<int64_t> ids;
        for (const ThrottleKey& k : keys) {
          ids.push_back(w.exec_params(kRecordFailureSql, k.key,
                                      absl::ToUnixMicros(now))[0][0]
                            .as<int64_t>());
        }
        return ids;
      });
}

absl::Status PgStaffStore::ForgiveLoginAttempt(const std::vector<int64_t>& ids,
                                               const std::string& clear_key) {
  return pool_->Transact([&](pqxx::work& w) -> absl::Status {
    for (int64_t id : ids) w.exec_params(kForgiveIdSql, id);
    if (!clear_key.empty()) w.exec_params(kForgiveKeySql, clear_key);
    return absl::OkStatus();
  });
}

}  // namespace clinic::staff
