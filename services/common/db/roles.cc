#include "services/common/db/roles.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"

namespace clinic::db {
namespace {

// Runs `body` in a transaction on `conninfo`, retrying a few times what two
// services setting up at once may collide on (roles are cluster-wide).
template <typename F>
absl::Status Run(const std::string& conninfo, const char* what, F body) {
  std::string last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    try {
      pqxx::connection c(conninfo);
      pqxx::work w(c);
      body(w);
      w.commit();
      return absl::OkStatus();
    } catch (const pqxx::broken_connection& e) {
      return absl::UnavailableError(absl::StrCat(what, ": ", e.what()));
    } catch (const std::exception& e) {
      last = e.what();
    }
  }
  return absl::InternalError(absl::StrCat(what, ": ", last));
}

}  // namespace

ServiceRoles RolesFor(const std::string& schema) {
  return {absl::StrCat("clinic_", schema),
          absl::StrCat("clinic_", schema, "_app")};
}

std::string AsRole(const std::string& conninfo, const std::string& role) {
  return absl::StrCat(conninfo, " user=", role);
}

absl::Status SetUpServiceRoles(const std::string& superuser_conninfo,
                               const std::string& schema) {
  const ServiceRoles r = RolesFor(schema);
  return Run(superuser_conninfo, "setting up roles", [&](pqxx::work& w) {
    for (const std::string& role : {r.owner, r.runtime}) {
      w.exec(absl::StrCat(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ",
          w.quote(role), ") THEN CREATE ROLE ", w.quote_name(role),
          " LOGIN; END IF; END $$"));
      w.exec(absl::StrCat("ALTER ROLE ", w.quote_name(role),
                          " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
                          " NOREPLICATION NOBYPASSRLS"));
    }
    const std::string s = w.quote_name(schema);
    const std::string owner = w.quote_name(r.owner);
    w.exec(absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", s, " AUTHORIZATION ",
                        owner));
    w.exec(absl::StrCat("ALTER SCHEMA ", s, " OWNER TO ", owner));
    // What an older start made as another role (tables, sequences, views,
    // functions) becomes the owner's.
    w.exec(absl::StrCat(
        "DO $$ DECLARE o record; BEGIN"
        " FOR o IN SELECT c.relname, c.relkind FROM pg_class c"
        "   JOIN pg_namespace n ON n.oid = c.relnamespace"
        "   WHERE n.nspname = ",
        w.quote(schema),
        "   AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
        "   AND pg_get_userbyid(c.relowner) <> ",
        w.quote(r.owner),
        " LOOP"
        "   EXECUTE format('ALTER TABLE %I.%I OWNER TO %I', ",
        w.quote(schema), ", o.relname, ", w.quote(r.owner),
        ");"
        " END LOOP;"
        " FOR o IN SELECT p.oid::regprocedure AS f FROM pg_proc p"
        "   JOIN pg_namespace n ON n.oid = p.pronamespace"
        "   WHERE n.nspname = ",
        w.quote(schema), "   AND pg_get_userbyid(p.proowner) <> ",
        w.quote(r.owner),
        "   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid"
        "     AND d.deptype = 'e') LOOP"
        "   EXECUTE format('ALTER FUNCTION %s OWNER TO %I', o.f, ",
        w.quote(r.owner),
        ");"
        " END LOOP; END $$"));
    // Extensions a non-superuser cannot create where the migrations want
    // them.
    if (schema == "appointments") {
      w.exec("CREATE EXTENSION IF NOT EXISTS btree_gist");
    }
    if (schema == "patients") {
      w.exec("CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA patients");
    }
    // Nobody else may use the schema; the runtime role may, and may connect.
    w.exec(absl::StrCat("REVOKE ALL ON SCHEMA ", s, " FROM PUBLIC"));
    w.exec(absl::StrCat("GRANT CONNECT ON DATABASE ",
                        w.quote_name(w.conn().dbname()), " TO ",
                        w.quote_name(r.runtime), ", ", owner));
  });
}

absl::Status GrantRuntime(const std::string& owner_conninfo,
                          const std::string& schema,
                          const std::string& runtime) {
  return Run(owner_conninfo, "granting the runtime role", [&](pqxx::work& w) {
    const std::string s = w.quote_name(schema);
    const std::string app = w.quote_name(runtime);
    w.exec(absl::StrCat("GRANT USAGE ON SCHEMA ", s, " TO ", app));
    w.exec(absl::StrCat("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES",
                        " IN SCHEMA ", s, " TO ", app));
    w.exec(absl::StrCat("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ", s,
                        " TO ", app));
    w.exec(absl::StrCat("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES",
                        " IN SCHEMA ", s, " FROM ", app));
    // The migrations' bookkeeping is the owner's alone.
    w.exec(absl::StrCat("REVOKE ALL ON ", s, ".schema_migrations FROM ", app));
    // The audit trail: append and read only.
    if (!w.exec_params("SELECT FROM pg_tables WHERE schemaname = $1"
                       " AND tablename = 'audit_events'",
                       schema)
             .empty()) {
      w.exec(absl::StrCat("REVOKE UPDATE, DELETE ON ", s, ".audit_events FROM ",
                          app));
    }
  });
}

}  // namespace clinic::db
