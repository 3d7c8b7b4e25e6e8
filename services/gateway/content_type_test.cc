#include "services/gateway/content_type.h"

#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

TEST(ParseConnectContentTypeTest, Accepted) {
  EXPECT_EQ(ParseConnectContentType("application/json"), Codec::kJson);
  EXPECT_EQ(ParseConnectContentType("application/json; charset=utf-8"),
            Codec::kJson);
  EXPECT_EQ(ParseConnectContentType("Application/JSON;charset=UTF-8"),
            Codec::kJson);
  EXPECT_EQ(ParseConnectContentType("application/json; charset=\"utf-8\""),
            Codec::kJson);
  EXPECT_EQ(ParseConnectContentType("application/proto"), Codec::kProto);
  EXPECT_EQ(ParseConnectContentType(" application/proto "), Codec::kProto);
}

TEST(ParseConnectContentTypeTest, Refused) {
  EXPECT_EQ(ParseConnectContentType(""), std::nullopt);
  EXPECT_EQ(ParseConnectContentType(absl::string_view()), std::nullopt);
  EXPECT_EQ(ParseConnectContentType("text/plain"), std::nullopt);
  EXPECT_EQ(ParseConnectContentType("application/grpc"), std::nullopt);
  EXPECT_EQ(ParseConnectContentType("application/jsonx"), std::nullopt);
  EXPECT_EQ(ParseConnectContentType("application/json; charset=latin1"),
            std::nullopt);
  EXPECT_EQ(ParseConnectContentType("application/json; boundary=x"),
            std::nullopt);
  EXPECT_EQ(ParseConnectContentType("application/proto; charset=utf-8"),
            std::nullopt);
}

TEST(ContentTypeForTest, Names) {
  EXPECT_EQ(ContentTypeFor(Codec::kJson), "application/json");
  EXPECT_EQ(ContentTypeFor(Codec::kProto), "application/proto");
}

}  // namespace
}  // namespace clinic::gateway
