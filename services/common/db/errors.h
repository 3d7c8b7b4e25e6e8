// PostgreSQL / libpqxx errors -> absl::Status.
#ifndef CLINIC_SERVICES_COMMON_DB_ERRORS_H_
#define CLINIC_SERVICES_COMMON_DB_ERRORS_H_

#include <exception>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace clinic::db {

// Maps a SQLSTATE to a status code:
//   23505 unique, 23P01 exclusion           -> ALREADY_EXISTS
//   23514 check, 23502 not null, 22xxx data -> INVALID_ARGUMENT
//   23503 foreign key                       -> FAILED_PRECONDITION
//   40001 serialization, 40P01 deadlock     -> ABORTED (retried by Transact)
//   57014 statement timeout / cancel        -> DEADLINE_EXCEEDED
//   08xxx connection, 57P01..03 shutdown    -> UNAVAILABLE
//   anything else                           -> INTERNAL
absl::StatusCode CodeForSqlState(absl::string_view sqlstate);

// The status for an exception thrown by libpqxx. The message says what kind
// of failure it was and, for constraint violations, which constraint (also
// as an ErrorInfo: see ViolatedConstraint); it never carries the SQL text.
// The first line of the error is logged.
absl::Status StatusFromException(const std::exception& e);

// Domain of the ErrorInfo that StatusFromException attaches to constraint
// violations: reason "SQLSTATE_<code>", metadata {"constraint": name}.
inline constexpr char kDatabaseDomain[] = "db.clinic";

// The constraint a status from StatusFromException says was violated, or "".
// Stores recognise a violation by this, never by the message.
std::string ViolatedConstraint(const absl::Status& status);

// True for SQLSTATEs a transaction retry may cure (40001, 40P01).
bool IsRetryable(absl::string_view sqlstate);

}  // namespace clinic::db

#endif  // CLINIC_SERVICES_COMMON_DB_ERRORS_H_
