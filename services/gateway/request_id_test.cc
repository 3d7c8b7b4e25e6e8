#include "services/gateway/request_id.h"

#include <set>
#include <string>

#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

TEST(RequestIdTest, SaneIdsAreKept) {
  EXPECT_EQ(RequestIdFor("abc-123_x.y:z"), "abc-123_x.y:z");
  EXPECT_TRUE(IsSaneRequestId(std::string(128, 'a')));
}

TEST(RequestIdTest, InsaneIdsAreReplaced) {
  for (std::string bad :
       {std::string(""), std::string(129, 'a'), std::string("a b"),
        std::string("a\r\nX-Evil: 1"), std::string("<script>")}) {
    EXPECT_FALSE(IsSaneRequestId(bad));
    std::string id = RequestIdFor(bad);
    EXPECT_NE(id, bad);
    EXPECT_EQ(id.size(), 32u);
  }
  EXPECT_EQ(RequestIdFor(std::nullopt).size(), 32u);
}

TEST(RequestIdTest, FreshIdsAreHexAndDistinct) {
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    std::string id = NewRequestId();
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 100u);
}

}  // namespace
}  // namespace clinic::gateway
