#include "services/common/server/flags.h"

#include <cstdlib>

#include "absl/flags/flag.h"

ABSL_FLAG(std::string, address, "127.0.0.1", "Interface to listen on.");
ABSL_FLAG(int, port, 0, "Port to listen on; 0 picks a free one.");
ABSL_FLAG(int, max_message_bytes, 4 * 1024 * 1024,
          "Largest request or response message.");
ABSL_FLAG(bool, reflection, false, "Serve gRPC reflection (development only).");
ABSL_FLAG(absl::Duration, drain_timeout, absl::Seconds(10),
          "How long shutdown lets in-flight calls finish.");
ABSL_FLAG(std::string, database_url, "",
          "libpq connection string or URI; defaults to $DATABASE_URL.");
ABSL_FLAG(int, db_pool_size, 16, "Most open database connections.");
ABSL_FLAG(absl::Duration, database_wait, absl::Seconds(30),
          "How long to wait for the database at start.");

namespace clinic::server {

ServerOptions ServerOptionsFromFlags() {
  ServerOptions o;
  o.address = absl::GetFlag(FLAGS_address);
  o.port = absl::GetFlag(FLAGS_port);
  o.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  o.reflection = absl::GetFlag(FLAGS_reflection);
  o.drain_timeout = absl::GetFlag(FLAGS_drain_timeout);
  return o;
}

db::PoolOptions PoolOptionsFromFlags(const std::string& application_name) {
  db::PoolOptions o;
  o.conninfo = absl::GetFlag(FLAGS_database_url);
  if (o.conninfo.empty()) {
    if (const char* env = std::getenv("DATABASE_URL")) o.conninfo = env;
  }
  o.max_connections = absl::GetFlag(FLAGS_db_pool_size);
  o.application_name = application_name;
  return o;
}

}  // namespace clinic::server
