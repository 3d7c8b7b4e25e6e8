#include "services/patients/page_token.h"

#include "gtest/gtest.h"

namespace clinic::patients {
namespace {

TEST(PageTokenTest, RoundTrips) {
  ListQuery q;
  q.name_prefix = "ru";
  const std::string f = FilterFingerprint(q);
  ListCursor c{"runner", "jane", "0a1b2c3d-0000-4000-8000-000000000000"};
  absl::StatusOr<ListCursor> back = DecodePageToken(EncodePageToken(c, f), f);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->family_key, "runner");
  EXPECT_EQ(back->given_key, "jane");
  EXPECT_EQ(back->id, c.id);
}

TEST(PageTokenTest, RefusesOtherFiltersAndGarbage) {
  ListQuery a, b;
  a.name_prefix = "ru";
  b.name_prefix = "sm";
  ListCursor c{"x", "y", "0a1b2c3d-0000-4000-8000-000000000000"};
  const std::string token = EncodePageToken(c, FilterFingerprint(a));
  EXPECT_EQ(DecodePageToken(token, FilterFingerprint(b)).status().message(),
            "page_token: was made for other filters; start again without it");
  EXPECT_EQ(DecodePageToken("!!!", FilterFingerprint(a)).status().message(),
            "page_token: malformed");
  EXPECT_EQ(DecodePageToken("aGVsbG8", FilterFingerprint(a)).status().message(),
            "page_token: malformed");
}

TEST(PageTokenTest, FingerprintIsStable) {
  ListQuery q;
  q.email = "a@b.co";
  // A fixed value (FNV-1a of the fields joined by \x1f), not a seeded
  // hash: a token stays valid across restarts and replicas.
  EXPECT_EQ(FilterFingerprint(q), "7f61f26757a7a297");
  ListQuery archived = q;
  archived.show_archived = true;
  EXPECT_NE(FilterFingerprint(q), FilterFingerprint(archived));
}

}  // namespace
}  // namespace clinic::patients
