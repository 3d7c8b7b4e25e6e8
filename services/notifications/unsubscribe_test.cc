#include "services/notifications/unsubscribe.h"

#include "gtest/gtest.h"

namespace clinic::notifications {
namespace {

constexpr char kPatient[] = "patients/11111111-1111-4111-8111-111111111111";

TEST(UnsubscribeTest, ATokenNamesItsPatientAndNothingElseOpens) {
  const std::string key = DeriveUnsubscribeKey("secret");
  const std::string token = UnsubscribeToken(key, kPatient);
  EXPECT_EQ(*PatientOfToken(key, token), kPatient);
  // Another key, another patient's id with this mac, a cut or empty token:
  // one answer.
  const std::string other = DeriveUnsubscribeKey("another secret");
  std::string foreign = token;
  foreign[0] = foreign[0] == '2' ? '3' : '2';
  for (const std::string& bad :
       {UnsubscribeToken(other, kPatient), foreign, token.substr(0, 40),
        std::string(), std::string("x.y")}) {
    const absl::Status s = PatientOfToken(key, bad).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << bad;
    EXPECT_EQ(s.message(), "This link does not work (any more).");
  }
}

}  // namespace
}  // namespace clinic::notifications
