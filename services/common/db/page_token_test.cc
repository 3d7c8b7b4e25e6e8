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

}  // namespace
}  // namespace clinic::db
