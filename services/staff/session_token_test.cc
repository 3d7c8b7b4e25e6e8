#include "services/staff/session_token.h"

#include <set>

#include "gtest/gtest.h"

namespace clinic::staff {
namespace {

TEST(SessionTokenTest, Base64UrlOf256RandomBits) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = NewSessionToken();
    EXPECT_EQ(t.size(), 43u);  // ceil(32 * 4 / 3), no padding
    for (char c : t) {
      EXPECT_TRUE(isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                  c == '_')
          << t;
    }
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(SessionTokenTest, HashIsSha256) {
  const std::string h = SessionTokenHash("abc");
  ASSERT_EQ(h.size(), 32u);
  // SHA-256("abc") starts ba7816bf.
  EXPECT_EQ(static_cast<unsigned char>(h[0]), 0xba);
  EXPECT_EQ(static_cast<unsigned char>(h[1]), 0x78);
  EXPECT_EQ(static_cast<unsigned char>(h[2]), 0x16);
  EXPECT_EQ(static_cast<unsigned char>(h[3]), 0xbf);
  EXPECT_NE(SessionTokenHash("abd"), h);
}

}  // namespace
}  // namespace clinic::staff
