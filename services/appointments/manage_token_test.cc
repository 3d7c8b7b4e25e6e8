#include "services/appointments/manage_token.h"

#include <set>

#include "gtest/gtest.h"

namespace clinic::appointments {
namespace {

TEST(ManageTokenTest, StableUnguessableShape) {
  const std::string key = DeriveManageKey("gateway-secret");
  const std::string a =
      ManageToken(key, "8f3c2a1e-0b7d-4c1a-9e2f-3d4c5b6a7e8f");
  EXPECT_EQ(a.size(), 43u);
  EXPECT_TRUE(LooksLikeManageToken(a));
  EXPECT_EQ(a, ManageToken(key, "8f3c2a1e-0b7d-4c1a-9e2f-3d4c5b6a7e8f"));
  EXPECT_NE(a, ManageToken(key, "8f3c2a1e-0b7d-4c1a-9e2f-3d4c5b6a7e80"));
  EXPECT_NE(a, ManageToken(DeriveManageKey("another-secret"),
                           "8f3c2a1e-0b7d-4c1a-9e2f-3d4c5b6a7e8f"));
  EXPECT_EQ(ManageTokenHash(a).size(), 32u);
  EXPECT_NE(ManageTokenHash(a), ManageTokenHash(a + "x"));
}

TEST(ManageTokenTest, ShapeCheck) {
  EXPECT_FALSE(LooksLikeManageToken(""));
  EXPECT_FALSE(LooksLikeManageToken(std::string(42, 'a')));
  EXPECT_FALSE(LooksLikeManageToken(std::string(42, 'a') + "="));
  EXPECT_FALSE(LooksLikeManageToken(std::string(42, 'a') + "/"));
  EXPECT_TRUE(LooksLikeManageToken(std::string(42, 'a') + "-"));
}

TEST(ManageTokenTest, DistinctForManyAppointments) {
  const std::string key = DeriveManageKey("k");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    seen.insert(ManageToken(key, std::to_string(i)));
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace clinic::appointments
