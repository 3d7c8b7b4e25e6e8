// A bounded pool of libpqxx connections and transactions with retry.
#ifndef CLINIC_SERVICES_COMMON_DB_POOL_H_
#define CLINIC_SERVICES_COMMON_DB_POOL_H_

#include <memory>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/db/errors.h"

namespace clinic::db {

class Pool;

// A connection borrowed from a Pool; goes back when destroyed.
class Lease {
 public:
  Lease(Lease&& other) noexcept
      : pool_(std::exchange(other.pool_, nullptr)),
        conn_(std::move(other.conn_)) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease();

  pqxx::connection& operator*() { return *conn_; }
  pqxx::connection* operator->() { return conn_.get(); }

  // Drops the connection instead of returning it (it is broken).
  void Discard() { conn_.reset(); }

 private:
  friend class Pool;
  Lease(Pool* pool, std::unique_ptr<pqxx::connection> conn)
      : pool_(pool), conn_(std::move(conn)) {}
  Pool* pool_;
  std::unique_ptr<pqxx::connection> conn_;
};

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

struct PoolOptions {
  // libpq connection string or URI.
  std::string conninfo;
  // At most this many connections are open at once.
  int max_connections = 8;
  // How long Acquire waits for a free connection before UNAVAILABLE.
  absl::Duration acquire_timeout = absl::Seconds(5);
  // Server-side statement_timeout for every connection (0 = none).
  absl::Duration statement_timeout = absl::Seconds(10);
  // Shown in pg_stat_activity.
  std::string application_name = "clinic";
};

class Pool {
 public:
  explicit Pool(PoolOptions options);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Borrows a connection, opening one if none is idle and the limit allows.
  absl::StatusOr<Lease> Acquire();

  // Runs fn(pqxx::work-like transaction&) in a transaction and commits.
  // fn returns absl::Status or absl::StatusOr<T>; a non-OK result rolls
  // back. Serialization failures and deadlocks (40001, 40P01) run fn again,
  // at most kMaxTries times in all; other database errors become a status
  // (see errors.h). fn must be safe to run again.
  template <typename Fn>
  auto Transact(Fn&& fn, Isolation isolation = Isolation::kReadCommitted)
      -> decltype(fn(std::declval<pqxx::work&>()));

  // Runs fn(pqxx::nontransaction&): statements in autocommit, one round trip
  // each, no BEGIN/COMMIT. For reads of a single statement (or several that
  // need no common snapshot). Errors as for Transact; nothing is retried.
  template <typename Fn>
  auto Read(Fn&& fn) -> decltype(fn(std::declval<pqxx::nontransaction&>()));

  static constexpr int kMaxTries = 3;

  // Connections open now (idle + leased); for tests and metrics.
  int open_connections() const;

 private:
  friend class Lease;
  void Release(std::unique_ptr<pqxx::connection> conn);

  template <typename Txn, typename Fn>
  static auto RunIn(pqxx::connection& conn, Fn& fn)
      -> decltype(fn(std::declval<pqxx::work&>()));

  const PoolOptions options_;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
};

namespace internal {
template <typename T>
bool IsOk(const T& result) {
  return result.ok();
}
inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}
}  // namespace internal

// fn always receives a pqxx::work; a stricter level is set with SET
// TRANSACTION as the transaction's first statement.
template <typename Txn, typename Fn>
auto Pool::RunIn(pqxx::connection& conn, Fn& fn)
    -> decltype(fn(std::declval<pqxx::work&>())) {
  pqxx::work txn(conn);
  if constexpr (!std::is_same_v<Txn, void>) {
    txn.exec(Txn::kSetLevel);
  }
  auto result = fn(txn);
  if (internal::IsOk(result)) txn.commit();
  return result;
}

namespace internal {
struct RepeatableRead {
  static constexpr const char* kSetLevel =
      "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
};
struct Serializable {
  static constexpr const char* kSetLevel =
      "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE";
};
}  // namespace internal

template <typename Fn>
auto Pool::Transact(Fn&& fn, Isolation isolation)
    -> decltype(fn(std::declval<pqxx::work&>())) {
  using Result = decltype(fn(std::declval<pqxx::work&>()));
  absl::Status last;
  for (int attempt = 0; attempt < kMaxTries; ++attempt) {
    absl::StatusOr<Lease> lease = Acquire();
    if (!lease.ok()) return Result(lease.status());
    try {
      switch (isolation) {
        case Isolation::kReadCommitted:
          return RunIn<void>(**lease, fn);
        case Isolation::kRepeatableRead:
          return RunIn<internal::RepeatableRead>(**lease, fn);
        case Isolation::kSerializable:
          return RunIn<internal::Serializable>(**lease, fn);
      }
    } catch (const pqxx::transaction_rollback& e) {
      // libpqxx 6 throws serialization_failure (40001) and deadlock_detected
      // (40P01) as transaction_rollback, which is not an sql_error.
      if (attempt + 1 < kMaxTries) {
        last = StatusFromException(e);
        continue;
      }
      return Result(StatusFromException(e));
    } catch (const pqxx::sql_error& e) {
      if (IsRetryable(e.sqlstate()) && attempt + 1 < kMaxTries) {
        last = StatusFromException(e);
        continue;
      }
      return Result(StatusFromException(e));
    } catch (const pqxx::broken_connection& e) {
      lease->Discard();
      return Result(StatusFromException(e));
    } catch (const std::exception& e) {
      if (!(*lease)->is_open()) lease->Discard();
      return Result(StatusFromException(e));
    }
  }
  return Result(last);
}

template <typename Fn>
auto Pool::Read(Fn&& fn)
    -> decltype(fn(std::declval<pqxx::nontransaction&>())) {
  using Result = decltype(fn(std::declval<pqxx::nontransaction&>()));
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) return Result(lease.status());
  try {
    pqxx::nontransaction txn(**lease);
    return fn(txn);
  } catch (const pqxx::broken_connection& e) {
    lease->Discard();
    return Result(StatusFromException(e));
  } catch (const std::exception& e) {
    if (!(*lease)->is_open()) lease->Discard();
    return Result(StatusFromException(e));
  }
}

}  // namespace clinic::db

#endif  // CLINIC_SERVICES_COMMON_DB_POOL_H_
