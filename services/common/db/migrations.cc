#include "services/common/db/migrations.h"

#include <algorithm>
#include <exception>
#include <pqxx/pqxx>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/db/errors.h"
#include "services/common/server/log.h"

namespace clinic::db {
namespace {

bool IsIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_';
  });
}

}  // namespace

absl::Status ApplyMigrations(const std::string& conninfo,
                             const std::string& schema,
                             const std::vector<Migration>& migrations) {
  if (!IsIdentifier(schema)) {
    return absl::InvalidArgumentError(
        absl::StrCat("schema name '", schema, "' is not a lower-case name"));
  }
  std::vector<const Migration*> ordered;
  for (const Migration& m : migrations) ordered.push_back(&m);
  std::sort(
      ordered.begin(), ordered.end(),
      [](const Migration* a, const Migration* b) { return a->name < b->name; });
  try {
    pqxx::connection conn(conninfo);
    const std::string lock_key = absl::StrCat("clinic.migrate.", schema);
    conn.set_variable("client_min_messages", "warning");
    {
      pqxx::nontransaction n(conn);
      n.exec_params("SELECT pg_advisory_lock(hashtext($1))", lock_key);
    }
    auto unlock = [&] {
      pqxx::nontransaction n(conn);
      n.exec_params("SELECT pg_advisory_unlock(hashtext($1))", lock_key);
    };
    try {
      {
        pqxx::work w(conn);
        // Made here only if missing: a schema owner without CREATE on the
        // database (roles.h) finds it made for it.
        if (w.exec_params("SELECT FROM pg_namespace WHERE nspname = $1", schema)
                .empty()) {
          w.exec(absl::StrCat("CREATE SCHEMA ", schema));
        }
        w.exec(absl::StrCat("CREATE TABLE IF NOT EXISTS ", schema,
                            ".schema_migrations ("
                            " name text PRIMARY KEY,"
                            " checksum text NOT NULL,"
                            " applied_at timestamptz NOT NULL DEFAULT now())"));
        w.commit();
      }
      absl::Status result;
      for (const Migration* m : ordered) {
        pqxx::work w(conn);
        pqxx::result done = w.exec_params(
            absl::StrCat("SELECT checksum = md5($2) FROM ", schema,
                         ".schema_migrations WHERE name = $1"),
            m->name, m->sql);
        if (!done.empty()) {
          if (!done[0][0].as<bool>()) {
            result = absl::FailedPreconditionError(absl::StrCat(
                "migration ", schema, "/", m->name,
                " changed after it was applied; add a new migration instead"));
            break;
          }
          continue;
        }
        w.exec(m->sql);
        w.exec_params(absl::StrCat("INSERT INTO ", schema,
                                   ".schema_migrations (name, checksum) "
                                   "VALUES ($1, md5($2))"),
                      m->name, m->sql);
        w.commit();
        server::LogInfo("applied migration ", schema, "/", m->name);
      }
      unlock();
      return result;
    } catch (...) {
      if (conn.is_open()) unlock();
      throw;
    }
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot reach the database to migrate ", schema));
  } catch (const pqxx::sql_error& e) {
    server::LogError("migration of ", schema, " failed: ", e.what());
    return absl::InternalError(
        absl::StrCat("migration of ", schema, " failed: ", e.what()));
  } catch (const std::exception& e) {
    return StatusFromException(e);
  }
}

absl::Status MigrateWhenReachable(const std::function<absl::Status()>& migrate,
                                  absl::Duration wait) {
  const absl::Time give_up = absl::Now() + wait;
  absl::Duration backoff = absl::Milliseconds(100);
  while (true) {
    absl::Status migrated = migrate();
    if (migrated.code() != absl::StatusCode::kUnavailable ||
        absl::Now() > give_up) {
      return migrated;
    }
    server::LogWarning("database not reachable yet; retrying");
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(2));
  }
}

}  // namespace clinic::db
