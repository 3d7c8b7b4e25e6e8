#include "services/common/db/page_token.h"

#include "gtest/gtest.h"

namespace clinic::db {
namespace {

TEST(PageTokenTest, RoundTripsAndRefusesOtherFiltersAndOtherLists) {
  const std::string f = FilterFingerprint({"a", "b"});
  const std::string token = EncodePageToken("x1", f, {"123", "id"});
  absl::StatusOr<std::vector<std::string>> key =
      DecodePageToken(token, "x1", f, 2);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, (std::vector<std::string>{"123", "id"}));
  EXPECT_EQ(DecodePageToken(token, "x1", FilterFingerprint({"a", "c"}), 2)
                .status()
                .message(),
            "page_token: was made for other filters; start again without it");
  EXPECT_EQ(DecodePageToken(token, "y1", f, 2).status().message(),
            "page_token: malformed");
  EXPECT_FALSE(DecodePageToken(token, "x1", f, 3).ok());
  EXPECT_FALSE(DecodePageToken("!!", "x1", f, 2).ok());
}

TEST(PageTokenTest, FingerprintSeparatesFieldsAndIsStable) {
  EXPECT_NE(FilterFingerprint({"ab", ""}), FilterFingerprint({"a", "b"}));
  // FNV-1a 64 of "a\x1fb": fixed, so tokens survive restarts and work
  // across replicas.
  EXPECT_EQ(FilterFingerprint({"a", "b"}), "e0691a510ce0097b");
}

TEST(PageTokenTest, NameCursorRoundTripsAndNeedsAUuid) {
  const NameCursor c{"runner", "jane", "8f3c2a1e-0b7d-4c1a-9e2f-3d4c5b6a7e8f"};
  absl::StatusOr<NameCursor> back =
      DecodeNameCursor(EncodeNameCursor("p1", "f", c), "p1", "f");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->family_key, "runner");
  EXPECT_EQ(back->given_key, "jane");
  EXPECT_EQ(back->id, c.id);
  EXPECT_EQ(
      DecodeNameCursor(EncodeNameCursor("p1", "f", {"a", "b", "7"}), "p1", "f")
          .status()
          .message(),
      "page_token: malformed");
}

}  // namespace
}  // namespace clinic::db
