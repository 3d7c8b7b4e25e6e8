#include "services/gateway/retry_after.h"

#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

TEST(RetryAfterValueTest, WholeSecondsRoundedUpAtLeastOne) {
  EXPECT_EQ(RetryAfterValue(absl::Seconds(2)), "2");
  EXPECT_EQ(RetryAfterValue(absl::Milliseconds(2001)), "3");
  EXPECT_EQ(RetryAfterValue(absl::Milliseconds(1)), "1");
  EXPECT_EQ(RetryAfterValue(absl::ZeroDuration()), "1");
  EXPECT_EQ(RetryAfterValue(absl::Minutes(15)), "900");
}

TEST(WaitFromMessageTest, ReadsTheServicesWording) {
  const absl::Duration fallback = absl::Seconds(60);
  EXPECT_EQ(WaitFromMessage("too many failed sign-ins; try again in 15 minutes",
                            fallback),
            absl::Minutes(15));
  EXPECT_EQ(WaitFromMessage("Try again in 1 minute.", fallback),
            absl::Minutes(1));
  EXPECT_EQ(WaitFromMessage("try again in 30 seconds", fallback),
            absl::Seconds(30));
  EXPECT_EQ(WaitFromMessage("try again in 90s", fallback), absl::Seconds(90));
  EXPECT_EQ(WaitFromMessage("try again in 2 hours", fallback), absl::Hours(2));
  EXPECT_EQ(WaitFromMessage("try again in 500 hours", fallback),
            absl::Hours(24));
}

TEST(WaitFromMessageTest, FallsBackWhenThereIsNoWait) {
  const absl::Duration fallback = absl::Seconds(60);
  EXPECT_EQ(WaitFromMessage("", fallback), fallback);
  EXPECT_EQ(WaitFromMessage("quota exceeded", fallback), fallback);
  EXPECT_EQ(WaitFromMessage("try again in a while", fallback), fallback);
  EXPECT_EQ(WaitFromMessage("try again in 5 fortnights", fallback), fallback);
  EXPECT_EQ(WaitFromMessage("try again in 99999999999999 minutes", fallback),
            fallback);
}

}  // namespace
}  // namespace clinic::gateway
