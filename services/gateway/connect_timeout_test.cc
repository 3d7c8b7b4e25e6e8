#include "services/gateway/connect_timeout.h"

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

constexpr absl::Duration kDefault = absl::Seconds(10);

TEST(ParseConnectTimeoutTest, MissingHeaderGivesDefault) {
  EXPECT_EQ(*ParseConnectTimeout(std::nullopt, kDefault), kDefault);
}

TEST(ParseConnectTimeoutTest, ValidValues) {
  EXPECT_EQ(*ParseConnectTimeout("1", kDefault), absl::Milliseconds(1));
  EXPECT_EQ(*ParseConnectTimeout("250", kDefault), absl::Milliseconds(250));
  EXPECT_EQ(*ParseConnectTimeout("9999999999", kDefault),
            absl::Milliseconds(9999999999));
}

TEST(ParseConnectTimeoutTest, InvalidValues) {
  for (const char* bad :
       {"", "0", "-5", "1.5", "abc", " 10", "10ms", "12345678901", "+1"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(ParseConnectTimeout(bad, kDefault).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace clinic::gateway
