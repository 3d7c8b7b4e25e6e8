// The PostgreSQL schema the appointments service owns, and its migrations.
#ifndef CLINIC_SERVICES_APPOINTMENTS_PG_SCHEMA_H_
#define CLINIC_SERVICES_APPOINTMENTS_PG_SCHEMA_H_

#include <string>

#include "absl/status/status.h"

namespace clinic::appointments {

// The schema the service owns; migrations/ create everything inside it.
inline constexpr char kSchema[] = "appointments";

// Applies migrations/ to the database at `conninfo`.
absl::Status MigrateAppointments(const std::string& conninfo);

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_PG_SCHEMA_H_
