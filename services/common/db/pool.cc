#include "services/common/db/pool.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "services/common/server/log.h"

namespace clinic::db {

Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(conn_));
}

Pool::Pool(PoolOptions options) : options_(std::move(options)) {}

absl::StatusOr<Lease> Pool::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    auto available = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.max_connections;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&available),
                              options_.acquire_timeout)) {
      return absl::UnavailableError("database busy: no free connection");
    }
    if (!idle_.empty()) {
      std::unique_ptr<pqxx::connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(conn));
    }
    ++open_;  // Reserve the slot, connect without holding the lock.
  }
  try {
    auto conn = std::make_unique<pqxx::connection>(options_.conninfo);
    conn->set_variable("application_name",
                       conn->quote(options_.application_name));
    if (options_.statement_timeout > absl::ZeroDuration()) {
      conn->set_variable(
          "statement_timeout",
          absl::StrCat(absl::ToInt64Milliseconds(options_.statement_timeout)));
    }
    conn->set_variable("TimeZone", "'UTC'");
    return Lease(this, std::move(conn));
  } catch (const std::exception& e) {
    absl::MutexLock lock(&mu_);
    --open_;
    server::LogWarning("cannot connect to the database: ", e.what());
    return absl::UnavailableError("database unavailable");
  }
}

void Pool::Release(std::unique_ptr<pqxx::connection> conn) {
  absl::MutexLock lock(&mu_);
  if (conn == nullptr || !conn->is_open()) {
    --open_;
    return;
  }
  idle_.push_back(std::move(conn));
}

int Pool::open_connections() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

}  // namespace clinic::db
