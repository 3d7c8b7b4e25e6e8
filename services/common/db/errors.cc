#include "services/common/db/errors.h"

#include <map>
#include <optional>
#include <pqxx/except>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/server/log.h"
#include "services/common/status/errors.h"

namespace clinic::db {

absl::StatusCode CodeForSqlState(absl::string_view s) {
  if (s == "23505" || s == "23P01") return absl::StatusCode::kAlreadyExists;
  if (s == "23514" || s == "23502") return absl::StatusCode::kInvalidArgument;
  if (s == "23503") return absl::StatusCode::kFailedPrecondition;
  if (s == "40001" || s == "40P01") return absl::StatusCode::kAborted;
  if (s == "57014") return absl::StatusCode::kDeadlineExceeded;
  if (absl::StartsWith(s, "08") || s == "57P01" || s == "57P02" ||
      s == "57P03") {
    return absl::StatusCode::kUnavailable;
  }
  if (absl::StartsWith(s, "22")) return absl::StatusCode::kInvalidArgument;
  return absl::StatusCode::kInternal;
}

std::string ViolatedConstraint(const absl::Status& status) {
  std::optional<status::Reason> reason = status::ReasonOf(status);
  if (!reason.has_value() || reason->domain != kDatabaseDomain) return "";
  auto it = reason->metadata.find("constraint");
  return it == reason->metadata.end() ? "" : it->second;
}

bool IsRetryable(absl::string_view sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

namespace {

// libpqxx 6 does not expose the constraint name (PG_DIAG_CONSTRAINT_NAME);
// this is the one place it is read, from PostgreSQL's message, which names
// it in double quotes ("... violates unique constraint "x"").
std::string ConstraintName(absl::string_view what) {
  size_t open = what.find("constraint \"");
  if (open == absl::string_view::npos) return "";
  open += 12;
  size_t close = what.find('"', open);
  if (close == absl::string_view::npos) return "";
  return std::string(what.substr(open, close - open));
}

// The first line of a PostgreSQL message: libpq appends DETAIL lines that
// quote the offending values (a patient's name, an email), which must not
// reach the logs.
absl::string_view FirstLine(absl::string_view what) {
  return what.substr(0, what.find('\n'));
}

}  // namespace

absl::Status StatusFromException(const std::exception& e) {
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string state = sql->sqlstate();
    const absl::StatusCode code = CodeForSqlState(state);
    server::LogWarning("database error sqlstate=", state, ": ",
                       FirstLine(sql->what()));
    const std::string constraint = ConstraintName(sql->what());
    const status::Reason reason{
        absl::StrCat("SQLSTATE_", state), kDatabaseDomain,
        constraint.empty()
            ? std::map<std::string, std::string>{}
            : std::map<std::string, std::string>{{"constraint", constraint}}};
    switch (code) {
      case absl::StatusCode::kAlreadyExists:
        return status::WithReason(
            absl::AlreadyExistsError(absl::StrCat(
                "conflicts with an existing record (", constraint, ")")),
            reason);
      case absl::StatusCode::kInvalidArgument:
        return status::WithReason(
            absl::InvalidArgumentError(
                constraint.empty()
                    ? "a value is out of range"
                    : absl::StrCat("a value breaks rule ", constraint)),
            reason);
      case absl::StatusCode::kFailedPrecondition:
        return status::WithReason(
            absl::FailedPreconditionError(absl::StrCat(
                "a referenced record does not exist (", constraint, ")")),
            reason);
      case absl::StatusCode::kAborted:
        return absl::AbortedError("concurrent change; try again");
      case absl::StatusCode::kDeadlineExceeded:
        return absl::DeadlineExceededError("database statement timed out");
      case absl::StatusCode::kUnavailable:
        return absl::UnavailableError("database unavailable");
      default:
        return absl::InternalError(
            absl::StrCat("database error (sqlstate ", state, ")"));
    }
  }
  if (dynamic_cast<const pqxx::statement_completion_unknown*>(&e) != nullptr) {
    server::LogError("statement completion unknown: ", FirstLine(e.what()));
    return absl::UnavailableError(
        "database connection lost; the change may or may not have been saved");
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e) != nullptr) {
    server::LogWarning("transaction rolled back: ", FirstLine(e.what()));
    return absl::AbortedError("concurrent change; try again");
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    server::LogWarning("database connection lost: ", e.what());
    return absl::UnavailableError("database connection lost");
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
    server::LogError("commit in doubt: ", FirstLine(e.what()));
    return absl::UnavailableError(
        "database connection lost during commit; the change may or may not "
        "have been saved");
  }
  server::LogError("database failure: ", FirstLine(e.what()));
  return absl::InternalError("database failure");
}

}  // namespace clinic::db
