// Login throttling policy: pure, no I/O. The failures themselves live in
// PostgreSQL (staff.login_failures) so every replica sees the same counts.
#ifndef CLINIC_SERVICES_STAFF_THROTTLE_H_
#define CLINIC_SERVICES_STAFF_THROTTLE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace clinic::staff {

// At most `max_failures` failures within any `window`.
struct ThrottlePolicy {
  int max_failures = 5;
  absl::Duration window = absl::Minutes(15);
};

struct ThrottleDecision {
  bool allowed = true;
  // When !allowed: how long until one more attempt is allowed.
  absl::Duration retry_after = absl::ZeroDuration();
};

// Whether one more attempt is allowed at `now`, given earlier failure times
// (any order; those outside (now - window, now] are ignored). When refused,
// retry_after is the time until fewer than max_failures failures remain in
// the window.
ThrottleDecision DecideThrottle(const ThrottlePolicy& policy,
                                std::vector<absl::Time> failures,
                                absl::Time now);

// RESOURCE_EXHAUSTED "too many failed login attempts; try again in N
// minutes" (N rounded up, at least 1).
absl::Status ThrottledError(absl::Duration retry_after);

}  // namespace clinic::staff

#endif  // CLINIC_SERVICES_STAFF_THROTTLE_H_
