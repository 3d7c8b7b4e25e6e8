#include "services/staff/throttle.h"

#include "gtest/gtest.h"

namespace clinic::staff {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1800000000);
const ThrottlePolicy kPolicy{5, absl::Minutes(15)};

std::vector<absl::Time> MinutesAgo(std::initializer_list<int> minutes) {
  std::vector<absl::Time> out;
  for (int m : minutes) out.push_back(kNow - absl::Minutes(m));
  return out;
}

TEST(ThrottleTest, AllowsUpToTheLimit) {
  EXPECT_TRUE(DecideThrottle(kPolicy, {}, kNow).allowed);
  EXPECT_TRUE(DecideThrottle(kPolicy, MinutesAgo({1, 2, 3, 4}), kNow).allowed);
}

TEST(ThrottleTest, RefusesAtTheLimitUntilTheFifthNewestLeavesTheWindow) {
  // Failures 1..5 minutes ago: the 5th newest (5 min ago) leaves the window
  // in 10 minutes.
  ThrottleDecision d =
      DecideThrottle(kPolicy, MinutesAgo({5, 1, 3, 2, 4}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, absl::Minutes(10));
  // Seven failures: still the 5th newest decides.
  d = DecideThrottle(kPolicy, MinutesAgo({1, 2, 3, 4, 5, 6, 7}), kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, absl::Minutes(10));
  // Just after that, allowed.
  EXPECT_TRUE(DecideThrottle(kPolicy, MinutesAgo({1, 2, 3, 4, 5}),
                             kNow + absl::Minutes(10))
                  .allowed);
}

TEST(ThrottleTest, IgnoresFailuresOutsideTheWindow) {
  EXPECT_TRUE(
      DecideThrottle(kPolicy, MinutesAgo({1, 2, 3, 4, 15, 16, 60}), kNow)
          .allowed);
  // In the future (clock skew between replicas): ignored too.
  EXPECT_TRUE(
      DecideThrottle(kPolicy, MinutesAgo({-1, -2, 1, 2, 3}), kNow).allowed);
}

TEST(ThrottleTest, PerAddressPolicy) {
  const ThrottlePolicy address{20, absl::Minutes(15)};
  std::vector<absl::Time> f;
  for (int i = 0; i < 19; ++i) f.push_back(kNow - absl::Seconds(10 + i));
  EXPECT_TRUE(DecideThrottle(address, f, kNow).allowed);
  f.push_back(kNow - absl::Seconds(100));
  ThrottleDecision d = DecideThrottle(address, f, kNow);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, absl::Minutes(15) - absl::Seconds(100));
}

TEST(ThrottleTest, ErrorRoundsMinutesUp) {
  EXPECT_EQ(ThrottledError(absl::Minutes(10)).message(),
            "too many failed login attempts; try again in 10 minutes");
  EXPECT_EQ(ThrottledError(absl::Seconds(61)).message(),
            "too many failed login attempts; try again in 2 minutes");
  EXPECT_EQ(ThrottledError(absl::Seconds(5)).message(),
            "too many failed login attempts; try again in 1 minute");
  EXPECT_EQ(ThrottledError(absl::Seconds(5)).code(),
            absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace clinic::staff
