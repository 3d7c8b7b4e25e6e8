#include "services/common/testing/postgres.h"

#include <pqxx/pqxx>

#include "gtest/gtest.h"

namespace clinic::testing {
namespace {

TEST(PostgresClusterTest, EachDatabaseIsFreshAndIsolated) {
  const std::string a = NewTestDatabase();
  const std::string b = NewTestDatabase();
  ASSERT_NE(a, b);
  {
    pqxx::connection conn(a);
    pqxx::work w(conn);
    w.exec("CREATE TABLE t (x int)");
    w.exec("INSERT INTO t VALUES (1)");
    w.commit();
  }
  pqxx::connection conn_b(b);
  pqxx::work w(conn_b);
  pqxx::result r =
      w.exec("SELECT count(*) FROM pg_tables WHERE tablename = 't'");
  EXPECT_EQ(r[0][0].as<int>(), 0);
  EXPECT_EQ(w.exec("SHOW server_version_num")[0][0].as<int>() / 10000, 15);
}

TEST(PostgresClusterTest, HasBtreeGist) {
  pqxx::connection conn(NewTestDatabase());
  pqxx::work w(conn);
  w.exec("CREATE EXTENSION btree_gist");
  w.commit();
}

}  // namespace
}  // namespace clinic::testing
