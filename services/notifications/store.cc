#include "services/notifications/store.h"

#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/db/migrations.h"
#include "services/common/time/timestamps.h"
#include "services/notifications/migrations.h"

namespace clinic::notifications {
namespace {

#define MICROS(col) \
  "coalesce((extract(epoch FROM " col ") * 1000000)::bigint, 0)"

constexpr char kColumns[] =
    "id, appointment, patient, kind, recipient, subject, body, ics, state,"
    " attempts, last_result, " MICROS("create_time") ", " MICROS(
        "send_time") ", " MICROS("next_attempt");

#define FROM_MICROS(p) "to_timestamp(" p "::bigint / 1000000.0)"

constexpr char kInsertSql[] =
    "INSERT INTO notifications.messages (source, appointment, patient, kind,"
    " recipient, subject, body, ics, state) VALUES ($1, $2, $3, $4, $5, $6,"
    " $7, $8, CASE WHEN $9 THEN 6 WHEN $5 = '' THEN 5 ELSE 1 END)"
    " ON CONFLICT (source) DO NOTHING";
constexpr char kUpsertReminderSql[] =
    "INSERT INTO notifications.reminders (appointment, patient, start_time,"
    " due_time, recipient, subject, body) VALUES ($1, $2, " FROM_MICROS(
        "$3") ", " FROM_MICROS("$4") ", $5, $6, $7)"
    " ON CONFLICT (appointment) DO UPDATE SET patient = EXCLUDED.patient,"
    " due_time = EXCLUDED.due_time, recipient = EXCLUDED.recipient,"
    " subject = EXCLUDED.subject, body = EXCLUDED.body,"
    " state = CASE WHEN notifications.reminders.start_time ="
    "   EXCLUDED.start_time AND notifications.reminders.state = 2 THEN 2"
    "   ELSE 1 END,"
    " start_time = EXCLUDED.start_time";
constexpr char kCancelReminderSql[] =
    "UPDATE notifications.reminders SET state = 3 WHERE appointment = $1";
// Due reminders become messages, once per appointment and start.
constexpr char kFireSql[] =
    "WITH due AS (UPDATE notifications.reminders SET state = 2"
    " WHERE appointment IN (SELECT appointment FROM notifications.reminders"
    "   WHERE state = 1 AND due_time <= " FROM_MICROS("$1")
    "   ORDER BY due_time LIMIT 100 FOR UPDATE SKIP LOCKED)"
    " RETURNING *)"
    " INSERT INTO notifications.messages (source, appointment, patient, kind,"
    " recipient, subject, body, state)"
    " SELECT 'reminder:' || appointment || ':' ||"
    " (extract(epoch FROM start_time) * 1000000)::bigint, appointment,"
    " patient, 4, recipient, subject, body,"
    " CASE WHEN recipient = '' THEN 5 ELSE 1 END FROM due"
    " ON CONFLICT (source) DO NOTHING";
const std::string kClaimSql = absl::StrCat(
    "UPDATE notifications.messages SET next_attempt = " FROM_MICROS("$2")
    " WHERE id IN (SELECT id FROM notifications.messages"
    "   WHERE state IN (1, 3) AND next_attempt <= " FROM_MICROS("$1")
    "   ORDER BY next_attempt, id LIMIT $3 FOR UPDATE SKIP LOCKED)"
    " RETURNING ",
    kColumns);
constexpr char kSentSql[] =
    "UPDATE notifications.messages SET state = 2, attempts = attempts + 1,"
    " last_result = $2, send_time = " FROM_MICROS("$3") " WHERE id = $1";
// Backoff: 1 min, 5 min, 30 min, 2 h; given up at the fifth failure.
constexpr char kFailedSql[] =
    "UPDATE notifications.messages SET attempts = attempts + 1,"
    " last_result = $2,"
    " state = CASE WHEN attempts + 1 >= 5 THEN 4 ELSE 3 END,"
    " next_attempt = " FROM_MICROS("$3") " + (ARRAY[interval '1 minute',"
    " interval '5 minutes', interval '30 minutes', interval '2 hours',"
    " interval '8 hours'])[least(attempts + 1, 5)] WHERE id = $1";
const std::string kListSql =
    absl::StrCat("SELECT ", kColumns,
                 " FROM notifications.messages WHERE ($1 = '' OR patient = $1)"
                 " AND ($2 = '' OR appointment = $2) AND ($3 = 0 OR state = $3)"
                 " AND ($4 = 0 OR id < $4) ORDER BY id DESC LIMIT $5");

#undef MICROS
#undef FROM_MICROS

v1::Message FromRow(const pqxx::row& r) {
  v1::Message m;
  m.set_name(absl::StrCat("messages/", r[0].c_str()));
  m.set_appointment(r[1].c_str());
  m.set_patient(r[2].c_str());
  m.set_kind(static_cast<v1::Message::Kind>(r[3].as<int>()));
  m.set_recipient(r[4].c_str());
  m.set_subject(r[5].c_str());
  m.set_body(r[6].c_str());
  m.set_ics(r[7].c_str());
  m.set_state(static_cast<v1::DeliveryState>(r[8].as<int>()));
  m.set_attempts(r[9].as<int>());
  m.set_last_result(r[10].c_str());
  auto ts = [](int64_t micros, google::protobuf::Timestamp* out) {
    if (micros != 0) *out = time::ToTimestamp(absl::FromUnixMicros(micros));
  };
  ts(r[11].as<int64_t>(), m.mutable_create_time());
  ts(r[12].as<int64_t>(), m.mutable_send_time());
  if (m.state() == v1::QUEUED || m.state() == v1::RETRYING) {
    ts(r[13].as<int64_t>(), m.mutable_next_attempt_time());
  }
  return m;
}

}  // namespace

absl::Status MigrateNotifications(const std::string& conninfo) {
  return db::ApplyMigrations(conninfo, kSchema, Migrations());
}

absl::StatusOr<std::string> MessageStore::Cursor() {
  return pool_->Read(
      [](pqxx::nontransaction& n) -> absl::StatusOr<std::string> {
        return std::string(
            n.exec("SELECT position FROM notifications.cursor")[0][0].c_str());
      });
}

absl::StatusOr<int> MessageStore::CalendarCount(
    const std::string& appointment) {
  return pool_->Read([&](pqxx::nontransaction& n) -> absl::StatusOr<int> {
    return n
        .exec_params1(
            "SELECT count(*) FROM notifications.messages"
            " WHERE appointment = $1 AND ics <> ''",
            appointment)[0]
        .as<int>();
  });
}

absl::Status MessageStore::Apply(const std::string& from, const std::string& to,
                                 const std::vector<NewMessage>& messages,
                                 const std::optional<ReminderPlan>& reminder) {
  return pool_->Transact([&](pqxx::work& w) -> absl::Status {
    const std::string at =
        w.exec("SELECT position FROM notifications.cursor FOR UPDATE")[0][0]
            .c_str();
    if (at != from) {
      return absl::AbortedError("another reader moved the outbox cursor");
    }
    for (const NewMessage& m : messages) {
      w.exec_params(kInsertSql, m.source, m.appointment, m.patient,
                    static_cast<int>(m.kind), m.recipient, m.subject, m.body,
                    m.ics, m.opted_out);
    }
    if (reminder) {
      if (reminder->cancel) {
        w.exec_params(kCancelReminderSql, reminder->appointment);
      } else {
        w.exec_params(kUpsertReminderSql, reminder->appointment,
                      reminder->patient, absl::ToUnixMicros(reminder->start),
                      absl::ToUnixMicros(reminder->due), reminder->recipient,
                      reminder->subject, reminder->body);
      }
    }
    w.exec_params("UPDATE notifications.cursor SET position = $1", to);
    return absl::OkStatus();
  });
}

absl::StatusOr<int> MessageStore::FireReminders(absl::Time now) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<int> {
    return static_cast<int>(
        w.exec_params(kFireSql, absl::ToUnixMicros(now)).affected_rows());
  });
}

absl::StatusOr<std::vector<v1::Message>> MessageStore::ClaimDue(
    absl::Time now, absl::Duration lease, int limit) {
  return pool_->Transact(
      [&](pqxx::work& w) -> absl::StatusOr<std::vector<v1::Message>> {
        std::vector<v1::Message> out;
        for (const pqxx::row& r :
             w.exec_params(kClaimSql, absl::ToUnixMicros(now),
                           absl::ToUnixMicros(now + lease), limit)) {
          out.push_back(FromRow(r));
        }
        return out;
      });
}

absl::Status MessageStore::Record(const std::string& name, bool sent,
                                  const std::string& result, absl::Time now) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(name.substr(name.find('/') + 1), &id)) {
    return absl::InvalidArgumentError("not a message name");
  }
  return pool_->Transact([&](pqxx::work& w) -> absl::Status {
    w.exec_params(sent ? kSentSql : kFailedSql, id, result.substr(0, 500),
                  absl::ToUnixMicros(now));
    return absl::OkStatus();
  });
}

absl::StatusOr<int> MessageStore::CancelReminders(const std::string& patient) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<int> {
    return static_cast<int>(
        w.exec_params("UPDATE notifications.reminders SET state = 3"
                      " WHERE patient = $1 AND state = 1",
                      patient)
            .affected_rows());
  });
}

absl::StatusOr<std::vector<v1::Message>> MessageStore::List(
    const MessageQuery& q) {
  return pool_->Read(
      [&](pqxx::nontransaction& n) -> absl::StatusOr<std::vector<v1::Message>> {
        std::vector<v1::Message> out;
        for (const pqxx::row& r : n.exec_params(
                 kListSql, q.patient, q.appointment, static_cast<int>(q.state),
                 q.before_id, q.page_size)) {
          out.push_back(FromRow(r));
        }
        return out;
      });
}

}  // namespace clinic::notifications
