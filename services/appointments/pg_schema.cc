#include "services/appointments/pg_schema.h"

#include "services/appointments/migrations.h"
#include "services/common/audit/audit.h"
#include "services/common/db/migrations.h"

namespace clinic::appointments {

absl::Status MigrateAppointments(const std::string& conninfo) {
  std::vector<db::Migration> migrations = Migrations();
  migrations.push_back(
      audit::AuditEventsMigration(kSchema, "0004_audit_events.sql"));
  return db::ApplyMigrations(conninfo, kSchema, migrations);
}

}  // namespace clinic::appointments
