#include "tests/integration/roster.h"

#include "gtest/gtest.h"
#include "services/common/server/client.h"

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

// The kit's channels retry by the services it knows (server/client.h):
// the same as the roster's.
TEST(RosterTest, TheKitKnowsTheRostersServices) {
  absl::StatusOr<std::vector<RosterEntry>> roster = ReadRoster();
  ASSERT_TRUE(roster.ok()) << roster.status();
  std::vector<std::string> listed;
  for (const RosterEntry& e : *roster) {
    listed.insert(listed.end(), e.services.begin(), e.services.end());
  }
  EXPECT_EQ(listed, server::ClinicServices());
}

// Retries only what is safe to repeat.
TEST(RosterTest, ChannelsRetryReadsAndRequestIdCallsOnly) {
  const std::string config = server::RetryServiceConfig();
  EXPECT_NE(config.find(R"("method":"GetPatient")"), std::string::npos)
      << config;
  EXPECT_NE(config.find(R"("method":"BookAppointment")"), std::string::npos);
  EXPECT_EQ(config.find(R"("method":"CancelAppointment")"), std::string::npos);
  EXPECT_EQ(config.find(R"("method":"UpdatePatient")"), std::string::npos);
  EXPECT_NE(config.find(R"("retryableStatusCodes":["UNAVAILABLE"])"),
            std::string::npos);
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
