// Least privilege in the database. Each service's schema is owned by a role
// of its own, clinic_<schema>, which runs the migrations; the service runs
// as clinic_<schema>_app, which owns nothing and may only
//   - use its own schema (no other service's: no USAGE there),
//   - read and write its tables, but only INSERT into and SELECT from its
//     audit trail (audit_events): no UPDATE, DELETE or TRUNCATE,
//   - not alter tables (so not disable the audit trigger), not set
//     session_replication_role (superuser only), not bypass row security.
// SetUpServiceRoles runs once as a superuser (./clinic does it for the
// private cluster, tools/… for another); GrantRuntime runs as the owner
// after each start's migrations (Runtime::Open), so new tables are covered.
#ifndef CLINIC_SERVICES_COMMON_DB_ROLES_H_
#define CLINIC_SERVICES_COMMON_DB_ROLES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace clinic::db {

struct ServiceRoles {
  std::string owner;    // "clinic_appointments"
  std::string runtime;  // "clinic_appointments_app"
};
ServiceRoles RolesFor(const std::string& schema);

// `conninfo` connecting as `role` instead (libpq: the last user= wins).
std::string AsRole(const std::string& conninfo, const std::string& role);

// As a superuser: the two roles (LOGIN, no SUPERUSER, CREATEDB, CREATEROLE,
// REPLICATION or BYPASSRLS), the schema owned by the owner (and whatever an
// older start left owned by another role handed over to it), and the
// trusted extensions its migrations create (btree_gist; unaccent in the
// patients schema), which a non-superuser may not create in public.
// Idempotent; safe to run concurrently.
absl::Status SetUpServiceRoles(const std::string& superuser_conninfo,
                               const std::string& schema);

// As the schema's owner: what the runtime role `runtime` may do (above).
absl::Status GrantRuntime(const std::string& owner_conninfo,
                          const std::string& schema,
                          const std::string& runtime);

}  // namespace clinic::db

#endif  // CLINIC_SERVICES_COMMON_DB_ROLES_H_
