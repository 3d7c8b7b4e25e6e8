#include "services/gateway/json_depth.h"

#include <string>

#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

std::string Nested(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(JsonDepthTest, FlatAndShallowDocumentsPass) {
  EXPECT_TRUE(JsonDepthWithin(""));
  EXPECT_TRUE(JsonDepthWithin("{}"));
  EXPECT_TRUE(JsonDepthWithin(R"({"a":{"b":[1,2,{"c":3}]}})"));
  EXPECT_TRUE(JsonDepthWithin(Nested(64)));
}

TEST(JsonDepthTest, TooDeepIsRefused) {
  EXPECT_FALSE(JsonDepthWithin(Nested(65)));
  EXPECT_FALSE(JsonDepthWithin(std::string(1 << 20, '[')));
  EXPECT_FALSE(JsonDepthWithin(R"({"a":{"b":{}}})", 2));
  EXPECT_TRUE(JsonDepthWithin(R"({"a":{"b":1}})", 2));
}

TEST(JsonDepthTest, BracketsInsideStringsDoNotCount) {
  std::string s = "{\"k\":\"" + std::string(1000, '[') + "\"}";
  EXPECT_TRUE(JsonDepthWithin(s));
  // An escaped quote does not end the string.
  std::string t = "{\"k\":\"\\\"" + std::string(1000, '{') + "\"}";
  EXPECT_TRUE(JsonDepthWithin(t));
  // An escaped backslash before the quote does end it.
  std::string u = "{\"k\":\"\\\\\"," + Nested(100) + "}";
  EXPECT_FALSE(JsonDepthWithin(u));
}

TEST(JsonDepthTest, SiblingsDoNotAccumulate) {
  std::string s = "[";
  for (int i = 0; i < 1000; ++i) s += Nested(10) + ",";
  s += "1]";
  EXPECT_TRUE(JsonDepthWithin(s));
}

TEST(JsonDepthTest, UnbalancedClosersDoNotUnderflow) {
  EXPECT_TRUE(JsonDepthWithin("]]]]" + Nested(64)));
  EXPECT_FALSE(JsonDepthWithin("]]]]" + Nested(65)));
}

}  // namespace
}  // namespace clinic::gateway
