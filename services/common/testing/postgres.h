// A throwaway PostgreSQL cluster per test binary, a fresh database per test.
//
// The cluster lives under /tmp (the postgres user cannot enter Bazel's
// directories under /root), listens only on a Unix socket in that directory,
// runs with fsync off (unless UseDurableSettings), and is stopped and deleted when the process exits.
// When the process runs as root, initdb and pg_ctl run as the `postgres`
// system user (PostgreSQL refuses root). Test targets using it are tagged
// "no-sandbox": inside Bazel's sandbox the directory cannot be handed over.
#ifndef CLINIC_SERVICES_COMMON_TESTING_POSTGRES_H_
#define CLINIC_SERVICES_COMMON_TESTING_POSTGRES_H_

#include <string>

namespace clinic::testing {

class PostgresCluster {
 public:
  // Starts the cluster on first use (about a second); aborts the test binary
  // with a clear message if PostgreSQL cannot start.
  static PostgresCluster& Get();

  // Before the first Get(): run the cluster as durably as `./clinic up`'s
  // (fsync, synchronous_commit and full_page_writes on, default
  // shared_buffers), for benchmarks whose baselines must not be flattered.
  static void UseDurableSettings();

  // Creates an empty database and returns a libpq connection string for it.
  std::string NewDatabase();

  // Connection string for an existing database of this cluster.
  std::string ConnInfo(const std::string& dbname) const;

  // The Unix socket directory (host= in connection strings).
  const std::string& socket_dir() const { return dir_; }

  ~PostgresCluster();

 private:
  PostgresCluster();
  std::string dir_;
  std::string bindir_;
  int next_db_ = 0;
};

// Shorthand for PostgresCluster::Get().NewDatabase().
std::string NewTestDatabase();

}  // namespace clinic::testing

#endif  // CLINIC_SERVICES_COMMON_TESTING_POSTGRES_H_
