#include "services/common/db/idempotency.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "services/common/db/prepared.h"
#include "services/common/status/errors.h"

namespace clinic::db {

RequestLog::RequestLog(absl::string_view schema)
    : lock_sql_(absl::StrCat("SELECT pg_advisory_xact_lock(hashtext('", schema,
                             ".request:' || $1 || ':' || $2))")),
      find_sql_(absl::StrCat(
          "SELECT fingerprint = sha256(decode($3, 'hex')), result FROM ",
          schema, ".requests WHERE method = $1 AND request_id = $2")),
      save_sql_(
          absl::StrCat("INSERT INTO ", schema,
                       ".requests (method, request_id, fingerprint, result)"
                       " VALUES ($1, $2, sha256(decode($3, 'hex')), $4)")) {}

absl::StatusOr<std::optional<std::string>> RequestLog::Find(
    pqxx::dbtransaction& txn, const RequestKey& key) const {
  if (key.request_id.empty()) return std::optional<std::string>();
  ExecPrepared(txn, lock_sql_, key.method, key.request_id);
  pqxx::result r = ExecPrepared(txn, find_sql_, key.method, key.request_id,
                                HexEncode(key.request_bytes));
  if (r.empty()) return std::optional<std::string>();
  if (!r[0][0].as<bool>()) {
    return status::InvalidField("request_id",
                                "already used for a different request");
  }
  return std::optional<std::string>(r[0][1].c_str());
}

void RequestLog::Save(pqxx::dbtransaction& txn, const RequestKey& key,
                      absl::string_view result) const {
  if (key.request_id.empty()) return;
  ExecPrepared(txn, save_sql_, key.method, key.request_id,
               HexEncode(key.request_bytes), std::string(result));
}

}  // namespace clinic::db
