#include "services/appointments/pg_schema.h"

#include "services/appointments/migrations.h"
#include "services/common/db/migrations.h"

namespace clinic::appointments {

absl::Status MigrateAppointments(const std::string& conninfo) {
  return db::ApplyMigrations(conninfo, kSchema, Migrations());
}

}  // namespace clinic::appointments
