#include "services/appointments/page_token.h"

#include "gtest/gtest.h"

namespace clinic::appointments {
namespace {

TEST(PageTokenTest, RoundTripsAndRefusesOtherFilters) {
  const std::string f = FilterFingerprint({"a", "b"});
  const std::string token = EncodePageToken({"123", "id"}, f);
  absl::StatusOr<std::vector<std::string>> key = DecodePageToken(token, f, 2);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, (std::vector<std::string>{"123", "id"}));
  EXPECT_EQ(
      DecodePageToken(token, FilterFingerprint({"a", "c"}), 2).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(DecodePageToken(token, f, 3).ok());
  EXPECT_FALSE(DecodePageToken("!!", f, 2).ok());
  EXPECT_NE(FilterFingerprint({"ab", ""}), FilterFingerprint({"a", "b"}));
}

}  // namespace
}  // namespace clinic::appointments
