// Flags every service binary shares, and the options built from them.
#ifndef CLINIC_SERVICES_COMMON_SERVER_FLAGS_H_
#define CLINIC_SERVICES_COMMON_SERVER_FLAGS_H_

#include <string>

#include "absl/flags/declare.h"
#include "absl/time/time.h"
#include "services/common/db/pool.h"
#include "services/common/server/server.h"

ABSL_DECLARE_FLAG(std::string, address);
ABSL_DECLARE_FLAG(int, port);
ABSL_DECLARE_FLAG(int, max_message_bytes);
ABSL_DECLARE_FLAG(bool, reflection);
ABSL_DECLARE_FLAG(absl::Duration, drain_timeout);
ABSL_DECLARE_FLAG(std::string, database_url);
ABSL_DECLARE_FLAG(int, db_pool_size);
ABSL_DECLARE_FLAG(absl::Duration, database_wait);

namespace clinic::server {

// From --address, --port, --max_message_bytes, --reflection,
// --drain_timeout.
ServerOptions ServerOptionsFromFlags();

// From --database_url (falls back to $DATABASE_URL) and --db_pool_size.
db::PoolOptions PoolOptionsFromFlags(const std::string& application_name);

}  // namespace clinic::server

#endif  // CLINIC_SERVICES_COMMON_SERVER_FLAGS_H_
