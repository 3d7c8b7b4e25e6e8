#ifndef CLINIC_SERVICES_COMMON_ACCESS_ACCESS_H_
#define CLINIC_SERVICES_COMMON_ACCESS_ACCESS_H_

// The one access policy: what an RPC's (clinic.api.v1.access) option allows.
// The gateway decides with it before forwarding a browser's call; every
// service decides again with it (server::Rpcs) after verifying the caller.
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "clinic/api/v1/access.pb.h"

namespace clinic::access {

// What an RPC's `(clinic.api.v1.access)` option asks for. A malformed option
// (several kinds at once; the contract test forbids it) is read as the most
// restrictive kind it names.
enum class AccessKind {
  kInternalOnly,  // internal_only: never forwarded from a browser
  kUndeclared,    // no option, or an empty one: refused
  kStaff,         // staff_roles: a valid session holding one of the roles
  kAnonymous,     // allow_anonymous: anyone, rate-limited per address
};

AccessKind KindOf(const clinic::api::v1::Access& access);

// The caller of a request as the session lookup found them.
struct Principal {
  std::vector<clinic::api::v1::StaffRole> roles;
};

// Where a call arrives: at the gateway from a browser, or at a service from
// the gateway or another service (which may call internal_only methods).
enum class Via { kBrowser, kService };

// Decides whether a caller may call a method whose option is `access` (the
// default instance when the method has none). `principal` is the staff member
// of a valid session, or nullopt when the request has no valid session (no
// cookie, or the staff service does not know the token). Pure: no I/O.
// - internal_only: OK via kService; NOT_FOUND via kBrowser (the gateway
//   answers as for an unknown method);
// - no option: PERMISSION_DENIED "method has no access policy";
// - allow_anonymous: OK (the caller is forwarded as anonymous);
// - staff_roles: UNAUTHENTICATED without a principal (but OK via kService
//   when also_services is set), PERMISSION_DENIED if the principal holds none
//   of the roles, else OK.
absl::Status CheckAccess(const clinic::api::v1::Access& access,
                         const std::optional<Principal>& principal,
                         Via via = Via::kBrowser);

}  // namespace clinic::access

#endif  // CLINIC_SERVICES_COMMON_ACCESS_ACCESS_H_
