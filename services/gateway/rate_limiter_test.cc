#include "services/gateway/rate_limiter.h"

#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

class RateLimiterTest : public ::testing::Test {
 protected:
  RateLimiter::Clock clock() {
    return [this] { return now_; };
  }
  void Advance(absl::Duration d) { now_ += d; }

  absl::Time now_ = absl::FromUnixSeconds(1700000000);
};

TEST_F(RateLimiterTest, BurstThenRefusedWithTheWait) {
  RateLimiter limiter(RateLimit{/*per_minute=*/30, /*burst=*/3}, clock());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("203.0.113.7").allowed);
  RateLimiter::Decision refused = limiter.Take("203.0.113.7");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, absl::Seconds(2));  // 30/min: one per 2 s
}

TEST_F(RateLimiterTest, RefillsAtTheRate) {
  RateLimiter limiter(RateLimit{30, 1}, clock());
  EXPECT_TRUE(limiter.Take("a").allowed);
  EXPECT_FALSE(limiter.Take("a").allowed);
  Advance(absl::Seconds(1));
  RateLimiter::Decision half = limiter.Take("a");
  EXPECT_FALSE(half.allowed);
  EXPECT_EQ(half.retry_after, absl::Seconds(1));
  Advance(absl::Seconds(1));
  EXPECT_TRUE(limiter.Take("a").allowed);
  // Never more than the burst, however long the pause.
  Advance(absl::Hours(5));
  EXPECT_TRUE(limiter.Take("a").allowed);
  EXPECT_FALSE(limiter.Take("a").allowed);
}

TEST_F(RateLimiterTest, KeysAreIndependent) {
  RateLimiter limiter(RateLimit{1, 1}, clock());
  EXPECT_TRUE(limiter.Take("a").allowed);
  EXPECT_FALSE(limiter.Take("a").allowed);
  EXPECT_TRUE(limiter.Take("b").allowed);
}

TEST_F(RateLimiterTest, RefusedRequestsDoNotDeepenTheDebt) {
  RateLimiter limiter(RateLimit{60, 1}, clock());
  EXPECT_TRUE(limiter.Take("a").allowed);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(limiter.Take("a").allowed);
  Advance(absl::Seconds(1));
  EXPECT_TRUE(limiter.Take("a").allowed);
}

TEST_F(RateLimiterTest, ZeroRateIsUnlimited) {
  RateLimiter limiter(RateLimit{0, 0}, clock());
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.Take("a").allowed);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST_F(RateLimiterTest, ZeroBurstRefusesEverything) {
  RateLimiter limiter(RateLimit{60, 0}, clock());
  EXPECT_FALSE(limiter.Take("a").allowed);
}

TEST_F(RateLimiterTest, MemoryIsBounded) {
  RateLimiter limiter(RateLimit{60, 2}, clock(), /*max_keys=*/4);
  for (int i = 0; i < 4; ++i) limiter.Take("k" + std::to_string(i));
  EXPECT_EQ(limiter.size(), 4u);
  // Nothing has refilled: everything is dropped for the newcomer.
  EXPECT_TRUE(limiter.Take("new").allowed);
  EXPECT_EQ(limiter.size(), 1u);
  // Once refilled, idle buckets are dropped and the busy one is kept.
  for (int i = 0; i < 3; ++i) limiter.Take("k" + std::to_string(i));
  Advance(absl::Seconds(1));  // k0..k2 full again
  EXPECT_TRUE(limiter.Take("new").allowed);
  EXPECT_TRUE(limiter.Take("new").allowed);  // empty now
  EXPECT_EQ(limiter.size(), 4u);
  EXPECT_TRUE(limiter.Take("k9").allowed);
  EXPECT_EQ(limiter.size(), 2u);
  EXPECT_FALSE(limiter.Take("new").allowed);  // still remembered
}

}  // namespace
}  // namespace clinic::gateway
