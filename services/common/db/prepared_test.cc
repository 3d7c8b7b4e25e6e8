#include "services/common/db/prepared.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/testing/postgres.h"

namespace clinic::db {
namespace {

TEST(PreparedTest, NamesAreStableAndDistinct) {
  EXPECT_EQ(StatementName("SELECT 1"), StatementName("SELECT 1"));
  EXPECT_NE(StatementName("SELECT 1"), StatementName("SELECT 2"));
  EXPECT_EQ(StatementName("SELECT 1").size(), 17u);
}

TEST(PreparedTest, RunsRepeatedlyOnOneConnection) {
  const std::string conninfo = testing::NewTestDatabase();
  pqxx::connection c(conninfo);
  constexpr char kSql[] = "SELECT $1::int + $2::int";
  for (int i = 0; i < 3; ++i) {
    pqxx::work w(c);
    EXPECT_EQ(ExecPrepared(w, kSql, i, 40)[0][0].as<int>(), 40 + i);
    w.commit();
  }
  // The statement is prepared on the server once.
  pqxx::nontransaction n(c);
  EXPECT_EQ(n.exec1(absl::StrCat("SELECT count(*) FROM pg_prepared_statements "
                                 "WHERE name = '",
                                 StatementName(kSql), "'"))[0]
                .as<int>(),
            1);
}

}  // namespace
}  // namespace clinic::db
