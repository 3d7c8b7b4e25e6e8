#include "services/staff/bootstrap.h"

#include <utility>

#include "services/staff/validation.h"

namespace clinic::staff {

absl::StatusOr<BootstrapResult> BootstrapAdmin(
    StaffStore* store, const BootstrapRequest& request) {
  v1::StaffMember member;
  member.set_email(request.email);
  member.set_given_name(request.given_name);
  member.set_family_name(request.family_name);
  member.add_roles(api::v1::STAFF_ROLE_ADMIN);
  if (absl::Status s = NormalizeAndValidateMember("bootstrap", member);
      !s.ok()) {
    return s;
  }
  BootstrapResult result;
  result.password = GeneratePassword();
  absl::StatusOr<std::string> hash =
      HashPassword(result.password, request.argon2);
  if (!hash.ok()) return hash.status();
  absl::StatusOr<v1::StaffMember> created =
      store->CreateFirstAdmin(member, *hash);
  if (!created.ok()) return created.status();
  result.member = *std::move(created);
  return result;
}

}  // namespace clinic::staff
