#include "services/staff/throttle.h"

#include <algorithm>
#include <functional>

#include "absl/strings/str_cat.h"

namespace clinic::staff {

ThrottleDecision DecideThrottle(const ThrottlePolicy& policy,
                                std::vector<absl::Time> failures,
                                absl::Time now) {
  ThrottleDecision decision;
  if (policy.max_failures <= 0) {
    decision.allowed = false;
    decision.retry_after = policy.window;
    return decision;
  }
  const absl::Time since = now - policy.window;
  failures.erase(
      std::remove_if(failures.begin(), failures.end(),
                     [&](absl::Time t) { return t <= since || t > now; }),
      failures.end());
  if (static_cast<int>(failures.size()) < policy.max_failures) return decision;
  // Newest first: once the max_failures-th newest leaves the window, fewer
  // than max_failures remain.
  std::sort(failures.begin(), failures.end(), std::greater<absl::Time>());
  decision.allowed = false;
  decision.retry_after =
      failures[policy.max_failures - 1] + policy.window - now;
  return decision;
}

absl::Status ThrottledError(absl::Duration retry_after) {
  int64_t minutes = absl::ToInt64Minutes(retry_after);
  if (retry_after > absl::Minutes(minutes)) ++minutes;
  if (minutes < 1) minutes = 1;
  return absl::ResourceExhaustedError(
      absl::StrCat("too many failed login attempts; try again in ", minutes,
                   minutes == 1 ? " minute" : " minutes"));
}

}  // namespace clinic::staff
