#ifndef CLINIC_SERVICES_GATEWAY_RATE_LIMITER_H_
#define CLINIC_SERVICES_GATEWAY_RATE_LIMITER_H_

#include <cstddef>
#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace clinic::gateway {

// A token bucket's shape: `burst` requests at once, refilled at
// `per_minute`. per_minute <= 0 turns the limit off.
struct RateLimit {
  double per_minute = 30;
  int burst = 10;
};

// One token bucket per key (the client's address). Thread-safe.
class RateLimiter {
 public:
  using Clock = std::function<absl::Time()>;

  struct Decision {
    bool allowed = true;
    // When refused: how long until one request is allowed again.
    absl::Duration retry_after = absl::ZeroDuration();
  };

  // `clock` defaults to absl::Now. At most `max_keys` buckets are kept: when
  // full, buckets that have refilled completely are dropped (they hold no
  // information); if that frees nothing, every bucket is dropped (whoever
  // controls that many addresses gains nothing from it).
  explicit RateLimiter(RateLimit limit, Clock clock = nullptr,
                       size_t max_keys = 100000);

  // Takes one token from `key`'s bucket if there is one.
  Decision Take(absl::string_view key);

  // Buckets currently tracked (for tests).
  size_t size() const;

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  void Refill(Bucket& bucket, absl::Time now) const;
  void Prune(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RateLimit limit_;
  const Clock clock_;
  const size_t max_keys_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_RATE_LIMITER_H_
