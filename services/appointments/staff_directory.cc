#include "services/appointments/staff_directory.h"

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "clinic/staff/v1/staff_service.grpc.pb.h"
#include "services/common/server/client.h"
#include "services/common/status/status.h"

namespace clinic::appointments {

struct GrpcStaffDirectory::Impl {
  std::unique_ptr<staff::v1::StaffService::Stub> stub;
  const server::CallerVerifier* verifier;
  absl::Duration timeout;
};

GrpcStaffDirectory::GrpcStaffDirectory(std::shared_ptr<grpc::Channel> channel,
                                       const server::CallerVerifier* verifier,
                                       absl::Duration timeout)
    : impl_(new Impl{staff::v1::StaffService::NewStub(channel), verifier,
                     timeout}) {}

GrpcStaffDirectory::~GrpcStaffDirectory() = default;

absl::StatusOr<std::vector<std::string>>
GrpcStaffDirectory::TherapistCredentials(const server::Caller& caller,
                                         const std::string& therapist) {
  auto context = server::NewCallContext(impl_->timeout);
  impl_->verifier->Forward(caller, *context);
  staff::v1::GetStaffMemberRequest req;
  req.set_name(therapist);
  staff::v1::StaffMember member;
  grpc::Status s = impl_->stub->GetStaffMember(context.get(), req, &member);
  if (!s.ok()) {
    absl::Status status = status::FromGrpcStatus(s);
    if (status.code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError("the chosen therapist is not a staff member");
    }
    return absl::Status(status.code(),
                        absl::StrCat("staff service: ", status.message()));
  }
  bool is_therapist = false;
  for (int role : member.roles()) {
    is_therapist |= role == api::v1::STAFF_ROLE_THERAPIST;
  }
  if (!is_therapist || member.state() != staff::v1::STAFF_STATE_ACTIVE) {
    return absl::FailedPreconditionError(
        "the chosen staff member is not an active therapist");
  }
  return std::vector<std::string>(member.credentials().begin(),
                                  member.credentials().end());
}

}  // namespace clinic::appointments
