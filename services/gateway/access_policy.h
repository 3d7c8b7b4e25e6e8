#ifndef CLINIC_SERVICES_GATEWAY_ACCESS_POLICY_H_
#define CLINIC_SERVICES_GATEWAY_ACCESS_POLICY_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clinic/api/v1/access.pb.h"

namespace clinic::gateway {

// Who is calling, as far as the gateway knows today.
struct Caller {
  // The client connected from 127.0.0.0/8 or ::1.
  bool loopback = false;
};

// Decides whether `caller` may call a method whose access option is `access`
// (the method's `(clinic.api.v1.access)` option; the default instance when the
// method has none). Returns OK or PERMISSION_DENIED with the reason:
// - no allow_anonymous and no staff_roles: refused, "method has no access
//   policy" (every RPC must declare one);
// - allow_anonymous: allowed;
// - staff_roles: until staff login exists, allowed only from loopback.
absl::Status CheckAccess(const clinic::api::v1::Access& access,
                         const Caller& caller);

// True if `ip` (textual IPv4 or IPv6, e.g. "127.0.0.1", "::1",
// "::ffff:127.0.0.2") is a loopback address. False for anything unparsable.
bool IsLoopbackAddress(absl::string_view ip);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_ACCESS_POLICY_H_
