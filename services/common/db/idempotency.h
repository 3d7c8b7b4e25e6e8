// Retryable changes (AIP-155), one protocol for every store: inside the
// change's transaction, take a lock on (method, request_id), look up the
// answer an earlier call with that request_id gave, and either return it
// (same request body) or refuse (another body); after the change, record
// its answer. The table is <schema>.requests, created by the service's
// migrations with these columns:
//
//   CREATE TABLE <schema>.requests (
//     method text NOT NULL,
//     request_id text NOT NULL CHECK (length(request_id) BETWEEN 1 AND 64),
//     fingerprint bytea NOT NULL,      -- sha256 of the request's bytes
//     result text NOT NULL,            -- what the store needs to answer again
//     create_time timestamptz NOT NULL DEFAULT now(),
//     PRIMARY KEY (method, request_id));
#ifndef CLINIC_SERVICES_COMMON_DB_IDEMPOTENCY_H_
#define CLINIC_SERVICES_COMMON_DB_IDEMPOTENCY_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/db/request_key.h"

namespace pqxx {
class dbtransaction;
}  // namespace pqxx

namespace clinic::db {

class RequestLog {
 public:
  // `schema` is the service's schema, a constant ("patients"), never input.
  explicit RequestLog(absl::string_view schema);

  // Without a request_id: nullopt, no lock. Otherwise locks the key for the
  // rest of the transaction and returns the recorded result of an earlier
  // call with the same request, nullopt if there was none, or
  // INVALID_ARGUMENT on field request_id if it was used for another request.
  absl::StatusOr<std::optional<std::string>> Find(pqxx::dbtransaction& txn,
                                                  const RequestKey& key) const;

  // Records `result` as the answer to `key` (nothing without a request_id).
  void Save(pqxx::dbtransaction& txn, const RequestKey& key,
            absl::string_view result) const;

 private:
  std::string lock_sql_;
  std::string find_sql_;
  std::string save_sql_;
};

}  // namespace clinic::db

#endif  // CLINIC_SERVICES_COMMON_DB_IDEMPOTENCY_H_
