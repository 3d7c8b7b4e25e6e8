#include "services/common/access/access.h"

namespace clinic::access {

AccessKind KindOf(const clinic::api::v1::Access& access) {
  if (access.internal_only()) return AccessKind::kInternalOnly;
  if (access.staff_roles_size() > 0) return AccessKind::kStaff;
  if (access.allow_anonymous()) return AccessKind::kAnonymous;
  return AccessKind::kUndeclared;
}

absl::Status CheckAccess(const clinic::api::v1::Access& access,
                         const std::optional<Principal>& principal, Via via) {
  switch (KindOf(access)) {
    case AccessKind::kInternalOnly:
      if (via == Via::kService) return absl::OkStatus();
      return absl::NotFoundError("unknown procedure");
    case AccessKind::kUndeclared:
      return absl::PermissionDeniedError("method has no access policy");
    case AccessKind::kAnonymous:
      return absl::OkStatus();
    case AccessKind::kStaff:
      break;
  }
  if (!principal.has_value()) {
    // Only a service gets here with an anonymous caller for a staff method:
    // the gateway refuses anonymous browsers first.
    if (via == Via::kService && access.also_services()) {
      return absl::OkStatus();
    }
    return absl::UnauthenticatedError("sign in first");
  }
  for (int allowed : access.staff_roles()) {
    if (allowed == clinic::api::v1::STAFF_ROLE_UNSPECIFIED) continue;
    for (clinic::api::v1::StaffRole held : principal->roles) {
      if (held == allowed) return absl::OkStatus();
    }
  }
  return absl::PermissionDeniedError("your roles do not allow this call");
}

}  // namespace clinic::access
