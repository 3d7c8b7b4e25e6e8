#include "services/notifications/feeds.h"

#include <pqxx/pqxx>

#include "services/common/db/request_key.h"

namespace clinic::notifications {
namespace {

constexpr char kColumns[] =
    "therapist, (extract(epoch FROM create_time) * 1000000)::bigint,"
    " coalesce((extract(epoch FROM last_read_time) * 1000000)::bigint, 0)";
// $1 therapist, $2 hex of the token's hash.
const std::string kCreateSql =
    std::string(
        "INSERT INTO notifications.calendar_feeds (therapist, token_hash)"
        " VALUES ($1, decode($2, 'hex')) ON CONFLICT (therapist) DO UPDATE"
        " SET token_hash = EXCLUDED.token_hash, create_time = now(),"
        " last_read_time = NULL RETURNING ") +
    kColumns;
const std::string kGetSql =
    std::string("SELECT ") + kColumns +
    " FROM notifications.calendar_feeds WHERE therapist = $1";
constexpr char kRevokeSql[] =
    "DELETE FROM notifications.calendar_feeds WHERE therapist = $1";
// $1 hex of the token's hash, $2 now (micros): the read is noted only when
// the last one is 5 minutes old, so polling calendars cost few writes.
const std::string kOpenSql =
    std::string(
        "WITH f AS (SELECT therapist FROM notifications.calendar_feeds"
        " WHERE token_hash = decode($1, 'hex')),"
        " touched AS (UPDATE notifications.calendar_feeds c"
        " SET last_read_time = to_timestamp($2::bigint / 1000000.0)"
        " FROM f WHERE c.therapist = f.therapist AND"
        " (c.last_read_time IS NULL OR c.last_read_time <"
        " to_timestamp($2::bigint / 1000000.0) - interval '5 minutes'))"
        " SELECT ") +
    kColumns +
    " FROM notifications.calendar_feeds WHERE token_hash = decode($1, 'hex')";

FeedRecord FromRow(const pqxx::row& r) {
  FeedRecord f;
  f.therapist = r[0].c_str();
  f.create_time = absl::FromUnixMicros(r[1].as<int64_t>());
  if (r[2].as<int64_t>() != 0) {
    f.last_read_time = absl::FromUnixMicros(r[2].as<int64_t>());
  }
  return f;
}

}  // namespace

absl::StatusOr<FeedRecord> FeedStore::Create(const std::string& therapist,
                                             const std::string& token_hash) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<FeedRecord> {
    return FromRow(
        w.exec_params(kCreateSql, therapist, db::HexEncode(token_hash))[0]);
  });
}

absl::StatusOr<FeedRecord> FeedStore::Get(const std::string& therapist) {
  return pool_->Read(
      [&](pqxx::nontransaction& n) -> absl::StatusOr<FeedRecord> {
        pqxx::result r = n.exec_params(kGetSql, therapist);
        if (r.empty()) {
          return absl::NotFoundError("there is no calendar link yet");
        }
        return FromRow(r[0]);
      });
}

absl::Status FeedStore::Revoke(const std::string& therapist) {
  return pool_->Transact([&](pqxx::work& w) -> absl::Status {
    if (w.exec_params(kRevokeSql, therapist).affected_rows() == 0) {
      return absl::NotFoundError("there is no calendar link to turn off");
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<FeedRecord> FeedStore::Open(const std::string& token_hash,
                                           absl::Time now) {
  return pool_->Transact([&](pqxx::work& w) -> absl::StatusOr<FeedRecord> {
    pqxx::result r = w.exec_params(kOpenSql, db::HexEncode(token_hash),
                                   absl::ToUnixMicros(now));
    if (r.empty()) return absl::NotFoundError("no such feed");
    return FromRow(r[0]);
  });
}

}  // namespace clinic::notifications
