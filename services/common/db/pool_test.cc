#include "services/common/db/pool.h"

#include <pqxx/pqxx>
#include <string>

#include "gtest/gtest.h"
#include "services/common/testing/postgres.h"

namespace clinic::db {
namespace {

class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conninfo_ = testing::NewTestDatabase();
    pqxx::connection conn(conninfo_);
    pqxx::work w(conn);
    w.exec("CREATE TABLE t (id int PRIMARY KEY, v int CHECK (v >= 0))");
    w.commit();
  }
  PoolOptions Options(int max = 4) {
    PoolOptions o;
    o.conninfo = conninfo_;
    o.max_connections = max;
    o.acquire_timeout = absl::Milliseconds(200);
    return o;
  }
  int Count(Pool& pool) {
    return *pool.Transact([](pqxx::work& w) -> absl::StatusOr<int> {
      return w.exec("SELECT count(*) FROM t")[0][0].as<int>();
    });
  }
  std::string conninfo_;
};

TEST_F(PoolTest, CommitsOnOkAndRollsBackOnError) {
  Pool pool(Options());
  absl::Status ok = pool.Transact([](pqxx::work& w) {
    w.exec("INSERT INTO t VALUES (1, 1)");
    return absl::OkStatus();
  });
  ASSERT_TRUE(ok.ok()) << ok;
  absl::Status bad = pool.Transact([](pqxx::work& w) {
    w.exec("INSERT INTO t VALUES (2, 2)");
    return absl::NotFoundError("changed my mind");
  });
  EXPECT_EQ(bad.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Count(pool), 1);
}

TEST_F(PoolTest, ReadRunsWithoutATransactionAndMapsErrors) {
  Pool pool(Options());
  ASSERT_TRUE(pool.Transact([](pqxx::work& w) {
                    w.exec("INSERT INTO t VALUES (1, 1)");
                    return absl::OkStatus();
                  })
                  .ok());
  absl::StatusOr<std::string> in_transaction =
      pool.Read([](pqxx::nontransaction& n) -> absl::StatusOr<std::string> {
        // now() differs from statement_timestamp() only inside a transaction
        // block; in autocommit each statement is its own transaction.
        n.exec("SELECT 1");
        return std::string(n.exec1("SELECT count(*) FROM t")[0].c_str());
      });
  ASSERT_TRUE(in_transaction.ok()) << in_transaction.status();
  EXPECT_EQ(*in_transaction, "1");
  absl::Status missing = pool.Read([](pqxx::nontransaction& n) {
    n.exec("SELECT * FROM no_such_table");
    return absl::OkStatus();
  });
  EXPECT_EQ(missing.code(), absl::StatusCode::kInternal);
  // The connection is usable afterwards.
  EXPECT_EQ(Count(pool), 1);
}

TEST_F(PoolTest, ConstraintViolationsBecomeStatuses) {
  Pool pool(Options());
  auto insert = [&](int id, int v) {
    return pool.Transact([&](pqxx::work& w) {
      w.exec_params("INSERT INTO t VALUES ($1, $2)", id, v);
      return absl::OkStatus();
    });
  };
  ASSERT_TRUE(insert(1, 1).ok());
  absl::Status dup = insert(1, 2);
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists) << dup;
  EXPECT_NE(dup.message().find("t_pkey"), std::string::npos) << dup;
  absl::Status check = insert(2, -1);
  EXPECT_EQ(check.code(), absl::StatusCode::kInvalidArgument) << check;
  EXPECT_EQ(check.message().find("INSERT"), std::string::npos) << check;
}

TEST_F(PoolTest, RetriesSerializationFailuresAtMostThreeTimes) {
  Pool pool(Options());
  int calls = 0;
  absl::StatusOr<int> r = pool.Transact(
      [&](pqxx::work& w) -> absl::StatusOr<int> {
        if (++calls < 3) {
          w.exec(
              "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = "
              "'40001'; END $$");
        }
        return calls;
      },
      Isolation::kSerializable);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, 3);

  calls = 0;
  absl::Status s = pool.Transact([&](pqxx::work& w) {
    ++calls;
    w.exec(
        "DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; "
        "END $$");
    return absl::OkStatus();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(calls, Pool::kMaxTries);
}

TEST_F(PoolTest, BoundedAndTimesOutWhenExhausted) {
  Pool pool(Options(/*max=*/2));
  auto a = pool.Acquire();
  auto b = pool.Acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  auto c = pool.Acquire();
  EXPECT_EQ(c.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(pool.open_connections(), 2);
}

TEST_F(PoolTest, ReconnectsAfterTheServerDropsTheConnection) {
  Pool pool(Options(/*max=*/1));
  ASSERT_EQ(Count(pool), 0);
  {
    pqxx::connection admin(conninfo_);
    pqxx::nontransaction n(admin);
    n.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
        "application_name = 'clinic'");
  }
  absl::StatusOr<int> lost =
      pool.Transact([](pqxx::work& w) -> absl::StatusOr<int> {
        return w.exec("SELECT 1")[0][0].as<int>();
      });
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kUnavailable)
      << lost.status();
  EXPECT_EQ(Count(pool), 0);  // A new connection works.
}

TEST(PoolNoServerTest, UnreachableDatabaseIsUnavailable) {
  PoolOptions o;
  o.conninfo = "host=/nonexistent dbname=x connect_timeout=1";
  Pool pool(o);
  EXPECT_EQ(pool.Acquire().status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace clinic::db
