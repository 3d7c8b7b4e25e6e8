#include "services/common/server/runtime.h"

#include <cstdlib>
#include <pqxx/pqxx>
#include <thread>
#include <utility>

#include "absl/flags/flag.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "services/common/db/migrations.h"
#include "services/common/db/roles.h"
#include "services/common/server/flags.h"
#include "services/common/server/log.h"

ABSL_FLAG(absl::Duration, health_interval, absl::Seconds(1),
          "How often the database is probed for the health status.");
ABSL_FLAG(std::string, migration_database_url, "",
          "Connection string of the role that owns the service's schema and "
          "runs its migrations (or $MIGRATION_DATABASE_URL); the service then "
          "grants its runtime role (--database_url's) what it needs "
          "(services/common/db/roles.h). Empty: the migrations run as the "
          "runtime role.");
ABSL_FLAG(std::string, gateway_secret_file, "",
          "File holding the secret the gateway sends (or set "
          "$CLINIC_GATEWAY_SECRET); calls without it are refused.");

namespace clinic::server {

absl::StatusOr<std::unique_ptr<Runtime>> Runtime::Open(absl::string_view name,
                                                       const Migrate& migrate,
                                                       bool require_secret) {
  SetLogName(name);
  std::unique_ptr<Runtime> runtime(new Runtime());
  runtime->name_ = std::string(name);
  if (require_secret) {
    absl::StatusOr<std::string> secret =
        LoadGatewaySecret(absl::GetFlag(FLAGS_gateway_secret_file));
    if (!secret.ok()) {
      LogError(secret.status().message());
      return secret.status();
    }
    runtime->secret_ = *secret;
    runtime->verifier_.emplace(*std::move(secret));
  }
  if (!migrate) return runtime;  // a service that owns no data
  db::PoolOptions pool_options = PoolOptionsFromFlags(runtime->name_);
  if (pool_options.conninfo.empty()) {
    LogError("no database: set --database_url or DATABASE_URL");
    return absl::FailedPreconditionError("no database");
  }
  std::string owner = absl::GetFlag(FLAGS_migration_database_url);
  if (owner.empty() && std::getenv("MIGRATION_DATABASE_URL") != nullptr) {
    owner = std::getenv("MIGRATION_DATABASE_URL");
  }
  // The database may still be starting: retry while it is unreachable.
  const absl::Status migrated = db::MigrateWhenReachable(
      [&]() -> absl::Status {
        if (owner.empty()) return migrate(pool_options.conninfo);
        if (absl::Status s = migrate(owner); !s.ok()) return s;
        // The runtime role, as the runtime connection string names it.
        std::string runtime_role;
        try {
          pqxx::connection c(pool_options.conninfo);
          pqxx::nontransaction n(c);
          runtime_role = n.exec("SELECT current_user")[0][0].c_str();
        } catch (const pqxx::broken_connection& e) {
          return absl::UnavailableError(e.what());
        } catch (const std::exception& e) {
          return absl::InternalError(e.what());
        }
        return db::GrantRuntime(owner, runtime->name_, runtime_role);
      },
      absl::GetFlag(FLAGS_database_wait));
  if (!migrated.ok()) {
    LogError("migrations failed: ", migrated.ToString());
    return migrated;
  }
  runtime->pool_ = std::make_unique<db::Pool>(pool_options);
  return runtime;
}

int Runtime::Serve(std::vector<ServiceEntry> services) {
  auto started = Server::Start(ServerOptionsFromFlags(), std::move(services));
  if (!started.ok()) {
    LogError(started.status().ToString());
    return 1;
  }
  LogInfo(name_, " listening on ", absl::GetFlag(FLAGS_address), ":",
          (*started)->port());
  // Health follows the database: NOT_SERVING while it cannot be reached, so
  // the gateway's /readyz (and a load balancer) stop sending work here.
  absl::Notification stop;
  std::thread monitor;
  if (pool_ != nullptr) {
    monitor = std::thread([this, &stop, server = started->get()] {
      bool serving = true;
      while (!stop.WaitForNotificationWithTimeout(
          absl::GetFlag(FLAGS_health_interval))) {
        const bool reachable = pool_
                                   ->Read([](pqxx::nontransaction& n) {
                                     n.exec("SELECT 1");
                                     return absl::OkStatus();
                                   })
                                   .ok();
        if (reachable != serving) {
          serving = reachable;
          server->SetServing(serving);
          if (serving) {
            LogInfo("the database is back: serving");
          } else {
            LogWarning("the database cannot be reached: not serving");
          }
        }
      }
    });
  }
  const int sig = WaitForTerminationSignal();
  stop.Notify();
  if (monitor.joinable()) monitor.join();
  LogInfo("signal ", sig, ": draining");
  (*started)->Shutdown();
  LogInfo("stopped");
  return 0;
}

int ExitCode(const absl::Status& status) {
  return status.code() == absl::StatusCode::kFailedPrecondition ||
                 status.code() == absl::StatusCode::kInvalidArgument
             ? 2
             : 1;
}

}  // namespace clinic::server
