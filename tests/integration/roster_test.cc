#include "tests/integration/roster.h"

#include "gtest/gtest.h"

namespace clinic::integration {
namespace {

TEST(RosterTest, TheRepositoryRosterListsEveryService) {
  absl::StatusOr<std::vector<RosterEntry>> roster = ReadRoster();
  ASSERT_TRUE(roster.ok()) << roster.status();
  ASSERT_GE(roster->size(), 3u);
  EXPECT_EQ((*roster)[0].name, "staff");
  bool appointments = false;
  for (const RosterEntry& e : *roster) {
    EXPECT_FALSE(e.services.empty()) << e.name;
    EXPECT_GT(e.port, 0) << e.name;
    if (e.name == "appointments") {
      appointments = true;
      EXPECT_EQ(e.calls, (std::vector<std::string>{"staff", "patients"}));
      EXPECT_EQ(e.services.size(), 4u);
    }
  }
  EXPECT_TRUE(appointments);
}

TEST(RosterTest, RefusesMalformedLinesAndUnknownCallees) {
  EXPECT_FALSE(ParseRoster("a //x:a notaport s -\n").ok());
  EXPECT_FALSE(ParseRoster("a //x:a 1 s\n").ok());
  EXPECT_FALSE(ParseRoster("a //x:a 1 s b\nb //x:b 2 t -\n").ok());
  absl::StatusOr<std::vector<RosterEntry>> ok =
      ParseRoster("# comment\n\nb //x:b 2 t -\na //x:a 1 s,u b\n");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ((*ok)[1].services, (std::vector<std::string>{"s", "u"}));
}

}  // namespace
}  // namespace clinic::integration
