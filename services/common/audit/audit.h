// The PHI audit trail: one append-only event per RPC that reads or changes
// patient information, in the service's own schema (<schema>.audit_events,
// created by the service's migration; see services/patients/migrations/
// 0002_audit_events.sql). A successful change writes its event in the same
// transaction as the change; reads write theirs in the read's transaction,
// so no data leaves without a record; failures are recorded on their own.
#ifndef CLINIC_SERVICES_COMMON_AUDIT_AUDIT_H_
#define CLINIC_SERVICES_COMMON_AUDIT_AUDIT_H_

#include <pqxx/transaction>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clinic/audit/v1/audit.pb.h"
#include "services/common/db/migrations.h"
#include "services/common/db/pool.h"
#include "services/common/server/caller.h"

namespace clinic::audit {

// Who did what, known before the outcome.
struct AuditContext {
  std::string actor;                     // "staff/{id}" or "anonymous"
  std::vector<std::string> actor_roles;  // "STAFF_ROLE_..."
  std::string action;                    // "pkg.Service/Method"
  std::string request_id;
  std::string client_address;
};

// The migration that creates <schema>.audit_events, append-only through a
// trigger that refuses UPDATE, DELETE and TRUNCATE (a role that may disable
// triggers or set session_replication_role could get around it: the
// services' runtime roles have neither right, nor UPDATE, DELETE or
// TRUNCATE on the table; db/roles.h), named `name` in the
// service's migration order: a service adds it to its migrations instead of
// copying the DDL (services/patients has its own copy from before).
db::Migration AuditEventsMigration(const std::string& schema,
                                   const std::string& name);

// The audit context of a call being served (actor, roles, method, request
// id, client address).
AuditContext ContextOf(const server::Call& call);

// At most this many resources are kept per event (a search's results).
inline constexpr int kMaxResources = 200;

class AuditLog {
 public:
  // `table` is the schema-qualified table, e.g. "patients.audit_events"; a
  // constant of the service, never user input. `pool` must outlive this.
  AuditLog(db::Pool* pool, std::string table);

  // Inserts one event inside the caller's transaction.
  void Record(pqxx::work& txn, const AuditContext& context,
              const std::string& resource,
              const std::vector<std::string>& resources,
              const std::string& outcome) const;

  // Inserts one event in a transaction of its own (for failed calls).
  absl::Status RecordAlone(const AuditContext& context,
                           const std::string& resource,
                           const std::string& outcome) const;

  // Newest first, filtered and paged as the request says. INVALID_ARGUMENT
  // for a bad page_size, page_token or time range.
  absl::StatusOr<v1::ListAuditEventsResponse> List(
      const v1::ListAuditEventsRequest& request) const;

  static constexpr int kDefaultPageSize = 100;
  static constexpr int kMaxPageSize = 500;

 private:
  db::Pool* pool_;
  std::string insert_sql_;
  std::string list_sql_;
};

}  // namespace clinic::audit

#endif  // CLINIC_SERVICES_COMMON_AUDIT_AUDIT_H_
