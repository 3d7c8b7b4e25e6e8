// The first admin of a new installation: `staff --bootstrap_admin=<email>`.
// There are no default or shared accounts; this is how the first one comes.
#ifndef CLINIC_SERVICES_STAFF_BOOTSTRAP_H_
#define CLINIC_SERVICES_STAFF_BOOTSTRAP_H_

#include <string>

#include "absl/status/statusor.h"
#include "clinic/staff/v1/staff.pb.h"
#include "services/staff/passwords.h"
#include "services/staff/store.h"

namespace clinic::staff {

struct BootstrapRequest {
  std::string email;
  std::string given_name = "Admin";
  std::string family_name = "User";
  Argon2Params argon2;
};

struct BootstrapResult {
  v1::StaffMember member;
  std::string password;  // generated; shown once
};

// Creates an active admin with a generated password unless an active admin
// exists (FAILED_PRECONDITION). INVALID_ARGUMENT for a bad email or name,
// ALREADY_EXISTS if the email belongs to another (deactivated) member.
absl::StatusOr<BootstrapResult> BootstrapAdmin(StaffStore* store,
                                               const BootstrapRequest& request);

}  // namespace clinic::staff

#endif  // CLINIC_SERVICES_STAFF_BOOTSTRAP_H_
