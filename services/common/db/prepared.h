// Statements run as prepared statements of the connection they run on:
// parsed and planned once per connection instead of at every call. For the
// hot paths (booking, the request_id protocol); the statement is named by a
// hash of its text and registered with libpqxx on first use (re-registering
// the same text is a no-op), so call sites pass the SQL as usual.
#ifndef CLINIC_SERVICES_COMMON_DB_PREPARED_H_
#define CLINIC_SERVICES_COMMON_DB_PREPARED_H_

#include <pqxx/pqxx>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace clinic::db {

// "q" + 16 hex digits of FNV-1a 64 of `sql`.
std::string StatementName(absl::string_view sql);

template <typename... Args>
pqxx::result ExecPrepared(pqxx::transaction_base& txn, const std::string& sql,
                          Args&&... args) {
  const std::string name = StatementName(sql);
  txn.conn().prepare(name, sql);
  return txn.exec_prepared(name, std::forward<Args>(args)...);
}

}  // namespace clinic::db

#endif  // CLINIC_SERVICES_COMMON_DB_PREPARED_H_
