#include "services/common/db/params.h"

#include <pqxx/pqxx>

#include "gtest/gtest.h"
#include "services/common/testing/postgres.h"

namespace clinic::db {
namespace {

TEST(TextArrayTest, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(TextArray({}), "{}");
  EXPECT_EQ(TextArray({"a", "b c"}), R"({"a","b c"})");
  EXPECT_EQ(TextArray({"say \"hi\"", "back\\slash"}),
            R"({"say \"hi\"","back\\slash"})");
}

TEST(TextArrayTest, PostgreSQLReadsBackWhatWasSent) {
  pqxx::connection c(testing::NewTestDatabase());
  pqxx::nontransaction n(c);
  const std::vector<std::string> items = {"staff/1", "O'Neil, \"Jo\"", "a\\b",
                                          "{}", ""};
  pqxx::result r = n.exec_params("SELECT unnest($1::text[])", TextArray(items));
  ASSERT_EQ(r.size(), items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(r[i][0].c_str(), items[i]);
  }
}

}  // namespace
}  // namespace clinic::db
