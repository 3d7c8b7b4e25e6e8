#include "services/gateway/backend_flags.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(ParseBackendSpecsTest, RepeatedAndCommaSeparated) {
  auto parsed =
      ParseBackendSpecs({"clinic.patients.v1.PatientService=localhost:50051",
                         "a.B=10.0.0.1:1, c.D=dns:///d:2"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(*parsed,
              ElementsAre(Pair("a.B", "10.0.0.1:1"), Pair("c.D", "dns:///d:2"),
                          Pair("clinic.patients.v1.PatientService",
                               "localhost:50051")));
}

TEST(ParseBackendSpecsTest, ReplicasAsAnAddressList) {
  auto parsed = ParseBackendSpecs(
      {"a.B=ipv4:127.0.0.1:1,127.0.0.1:2,c.D=h:3", "e.F=ipv4:127.0.0.1:4"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(*parsed,
              ElementsAre(Pair("a.B", "ipv4:127.0.0.1:1,127.0.0.1:2"),
                          Pair("c.D", "h:3"), Pair("e.F", "ipv4:127.0.0.1:4")));
  // Only an ipv4: list continues; elsewhere a part without '=' is an error.
  EXPECT_FALSE(ParseBackendSpecs({"a.B=h:1,h:2"}).ok());
}

TEST(ParseBackendSpecsTest, Errors) {
  for (std::vector<std::string> bad : {std::vector<std::string>{"noequals"},
                                       {"=host:1"},
                                       {"a.B="},
                                       {"a.B=h:1,,c.D=h:2"},
                                       {"a.B=h:1", "a.B=h:2"}}) {
    EXPECT_EQ(ParseBackendSpecs(bad).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  EXPECT_TRUE(ParseBackendSpecs({})->empty());
}

TEST(CollectRepeatedFlagTest, BothSpellings) {
  const char* argv[] = {
      "gateway",      "--backend=a=1", "--port=0", "--backend",    "b=2",
      "-backend=c=3", "--backendx=9",  "--",       "--backend=d=4"};
  EXPECT_THAT(CollectRepeatedFlag(9, argv, "backend"),
              ElementsAre("a=1", "b=2", "c=3"));
}

}  // namespace
}  // namespace clinic::gateway
