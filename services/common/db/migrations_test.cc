#include "services/common/db/migrations.h"

#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "services/common/testing/postgres.h"

namespace clinic::db {
namespace {

int Query(const std::string& conninfo, const std::string& sql) {
  pqxx::connection conn(conninfo);
  pqxx::nontransaction n(conn);
  return n.exec(sql)[0][0].as<int>();
}

TEST(MigrationsTest, AppliesInNameOrderOnceAndRecordsThem) {
  const std::string db = testing::NewTestDatabase();
  std::vector<Migration> ms = {
      {"0002_more.sql", "INSERT INTO demo.t VALUES (2);"},
      {"0001_init.sql",
       "CREATE TABLE demo.t (x int); INSERT INTO demo.t "
       "VALUES (1);"},
  };
  ASSERT_TRUE(ApplyMigrations(db, "demo", ms).ok());
  ASSERT_TRUE(ApplyMigrations(db, "demo", ms).ok());  // no-op
  EXPECT_EQ(Query(db, "SELECT count(*) FROM demo.t"), 2);
  EXPECT_EQ(Query(db, "SELECT count(*) FROM demo.schema_migrations"), 2);
}

TEST(MigrationsTest, ConcurrentStartsApplyEachMigrationOnce) {
  const std::string db = testing::NewTestDatabase();
  std::vector<Migration> ms = {
      {"0001_init.sql", "CREATE TABLE demo.t (x int);"},
      {"0002_row.sql", "INSERT INTO demo.t VALUES (1);"},
  };
  std::vector<std::thread> threads;
  std::vector<absl::Status> results(6);
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back(
        [&, i] { results[i] = ApplyMigrations(db, "demo", ms); });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_TRUE(r.ok()) << r;
  EXPECT_EQ(Query(db, "SELECT count(*) FROM demo.t"), 1);
}

TEST(MigrationsTest, EditedMigrationIsRefused) {
  const std::string db = testing::NewTestDatabase();
  ASSERT_TRUE(ApplyMigrations(db, "demo",
                              {{"0001_init.sql", "CREATE TABLE demo.t ();"}})
                  .ok());
  absl::Status s = ApplyMigrations(
      db, "demo", {{"0001_init.sql", "CREATE TABLE demo.t (x int);"}});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

TEST(MigrationsTest, FailingMigrationLeavesNothingHalfDone) {
  const std::string db = testing::NewTestDatabase();
  absl::Status s = ApplyMigrations(
      db, "demo",
      {{"0001_init.sql", "CREATE TABLE demo.t (x int); SELECT nonsense();"}});
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Query(db, "SELECT count(*) FROM pg_tables WHERE tablename='t'"), 0);
  EXPECT_EQ(Query(db, "SELECT count(*) FROM demo.schema_migrations"), 0);
}

TEST(MigrationsTest, RefusesOddSchemaNames) {
  EXPECT_EQ(ApplyMigrations("", "Robert'); DROP", {}).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clinic::db
