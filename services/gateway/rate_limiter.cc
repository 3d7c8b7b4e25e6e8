#include "services/gateway/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "absl/time/clock.h"

namespace clinic::gateway {

RateLimiter::RateLimiter(RateLimit limit, Clock clock, size_t max_keys)
    : limit_(limit),
      clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })),
      max_keys_(std::max<size_t>(max_keys, 1)) {}

void RateLimiter::Refill(Bucket& bucket, absl::Time now) const {
  if (now > bucket.updated) {
    const double minutes = absl::ToDoubleMinutes(now - bucket.updated);
    bucket.tokens = std::min<double>(
        limit_.burst, bucket.tokens + minutes * limit_.per_minute);
    bucket.updated = now;
  }
}

void RateLimiter::Prune(absl::Time now) {
  std::vector<std::string> full;
  for (auto& [key, bucket] : buckets_) {
    Refill(bucket, now);
    if (bucket.tokens >= limit_.burst) full.push_back(key);
  }
  for (const std::string& key : full) buckets_.erase(key);
  if (buckets_.size() >= max_keys_) buckets_.clear();
}

RateLimiter::Decision RateLimiter::Take(absl::string_view key) {
  if (limit_.per_minute <= 0) return Decision{};
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) Prune(now);
    it = buckets_
             .emplace(
                 std::string(key),
                 Bucket{static_cast<double>(std::max(limit_.burst, 0)), now})
             .first;
  }
  Bucket& bucket = it->second;
  Refill(bucket, now);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return Decision{};
  }
  const double missing_minutes = (1 - bucket.tokens) / limit_.per_minute;
  return Decision{false, absl::Ceil(absl::Seconds(missing_minutes * 60),
                                    absl::Milliseconds(1))};
}

size_t RateLimiter::size() const {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

}  // namespace clinic::gateway
