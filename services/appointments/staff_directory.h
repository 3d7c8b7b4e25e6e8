// Who may deliver what: a therapist's credentials, from the staff service.
#ifndef CLINIC_SERVICES_APPOINTMENTS_STAFF_DIRECTORY_H_
#define CLINIC_SERVICES_APPOINTMENTS_STAFF_DIRECTORY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/server/caller.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace clinic::appointments {

class StaffDirectory {
 public:
  virtual ~StaffDirectory() = default;

  // The credentials of `therapist` ("staff/{member}"), asked as `caller`.
  // FAILED_PRECONDITION if the member is not an active therapist;
  // NOT_FOUND if there is no such member.
  virtual absl::StatusOr<std::vector<std::string>> TherapistCredentials(
      const server::Caller& caller, const std::string& therapist) = 0;
};

// Asks clinic.staff.v1.StaffService/GetStaffMember, forwarding the caller
// (with the gateway secret) and a deadline.
class GrpcStaffDirectory : public StaffDirectory {
 public:
  // `verifier` must outlive this.
  GrpcStaffDirectory(std::shared_ptr<grpc::Channel> channel,
                     const server::CallerVerifier* verifier,
                     absl::Duration timeout = absl::Seconds(3));
  ~GrpcStaffDirectory() override;

  absl::StatusOr<std::vector<std::string>> TherapistCredentials(
      const server::Caller& caller, const std::string& therapist) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_STAFF_DIRECTORY_H_
