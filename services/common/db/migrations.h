// Forward-only SQL migrations, one PostgreSQL schema per service.
#ifndef CLINIC_SERVICES_COMMON_DB_MIGRATIONS_H_
#define CLINIC_SERVICES_COMMON_DB_MIGRATIONS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace clinic::db {

// One migration file, embedded in the binary by the sql_migrations() macro.
struct Migration {
  std::string name;  // file name, e.g. "0001_init.sql"; applied in name order
  std::string sql;
};

// Applies, in name order, every migration not yet recorded in
// <schema>.schema_migrations, each in its own transaction, under a
// session-level advisory lock so concurrent starts of the same service apply
// each migration once. Creates the schema if needed. A recorded migration
// whose text changed since it was applied is FAILED_PRECONDITION (forward
// only: add a new file instead). Returns UNAVAILABLE if the database cannot
// be reached.
absl::Status ApplyMigrations(const std::string& conninfo,
                             const std::string& schema,
                             const std::vector<Migration>& migrations);

// Runs `migrate` (e.g. a service's Migrate<Name>), again with backoff while
// it returns UNAVAILABLE (the database is still starting), for at most
// `wait`. Returns its last result.
absl::Status MigrateWhenReachable(const std::function<absl::Status()>& migrate,
                                  absl::Duration wait);

}  // namespace clinic::db

#endif  // CLINIC_SERVICES_COMMON_DB_MIGRATIONS_H_
