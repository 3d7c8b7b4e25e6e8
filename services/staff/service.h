// clinic.staff.v1.StaffService: validates, calls the store, maps errors.
// server::Rpcs verifies the caller and enforces each RPC's access option; the
// rules the option cannot express (an admin, or the member themself) are
// checked here.
#ifndef CLINIC_SERVICES_STAFF_SERVICE_H_
#define CLINIC_SERVICES_STAFF_SERVICE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clinic/staff/v1/staff_service.grpc.pb.h"
#include "services/common/server/rpc.h"
#include "services/staff/passwords.h"
#include "services/staff/store.h"
#include "services/staff/throttle.h"

namespace clinic::staff {

struct StaffServiceOptions {
  // A session ends after this long without a request...
  absl::Duration session_idle_timeout = absl::Minutes(30);
  // ...and this long after login whatever happens.
  absl::Duration session_absolute_timeout = absl::Hours(12);
  // last_seen_time is written at most this often per session.
  absl::Duration touch_interval = absl::Minutes(1);
  // Cost of new password hashes; older hashes are upgraded at login.
  Argon2Params argon2;
  // Failed logins allowed per email and per client address.
  ThrottlePolicy email_throttle{5, absl::Minutes(15)};
  ThrottlePolicy address_throttle{20, absl::Minutes(15)};
  // The clock; tests inject one they can move.
  std::function<absl::Time()> now = absl::Now;
};

class StaffServiceImpl final : public v1::StaffService::CallbackService {
 public:
  // `store` and `verifier` must outlive the service. Hashes one dummy
  // password (for logins with unknown emails), so construction takes as long
  // as one login.
  StaffServiceImpl(StaffStore* store, const server::CallerVerifier* verifier,
                   StaffServiceOptions options);

  grpc::ServerUnaryReactor* GetStaffMember(
      grpc::CallbackServerContext* context,
      const v1::GetStaffMemberRequest* request,
      v1::StaffMember* response) override;
  grpc::ServerUnaryReactor* ListStaffMembers(
      grpc::CallbackServerContext* context,
      const v1::ListStaffMembersRequest* request,
      v1::ListStaffMembersResponse* response) override;
  grpc::ServerUnaryReactor* CreateStaffMember(
      grpc::CallbackServerContext* context,
      const v1::CreateStaffMemberRequest* request,
      v1::CreateStaffMemberResponse* response) override;
  grpc::ServerUnaryReactor* UpdateStaffMember(
      grpc::CallbackServerContext* context,
      const v1::UpdateStaffMemberRequest* request,
      v1::StaffMember* response) override;
  grpc::ServerUnaryReactor* DeactivateStaffMember(
      grpc::CallbackServerContext* context,
      const v1::DeactivateStaffMemberRequest* request,
      v1::StaffMember* response) override;
  grpc::ServerUnaryReactor* ResetPassword(
      grpc::CallbackServerContext* context,
      const v1::ResetPasswordRequest* request,
      v1::ResetPasswordResponse* response) override;
  grpc::ServerUnaryReactor* ChangePassword(
      grpc::CallbackServerContext* context,
      const v1::ChangePasswordRequest* request,
      v1::ChangePasswordResponse* response) override;
  grpc::ServerUnaryReactor* Login(grpc::CallbackServerContext* context,
                                  const v1::LoginRequest* request,
                                  v1::LoginResponse* response) override;
  grpc::ServerUnaryReactor* ValidateSession(
      grpc::CallbackServerContext* context,
      const v1::ValidateSessionRequest* request,
      v1::ValidateSessionResponse* response) override;
  grpc::ServerUnaryReactor* Logout(grpc::CallbackServerContext* context,
                                   const v1::LogoutRequest* request,
                                   v1::LogoutResponse* response) override;
  grpc::ServerUnaryReactor* ListMySessions(
      grpc::CallbackServerContext* context,
      const v1::ListMySessionsRequest* request,
      v1::ListMySessionsResponse* response) override;
  grpc::ServerUnaryReactor* RevokeSession(
      grpc::CallbackServerContext* context,
      const v1::RevokeSessionRequest* request,
      v1::RevokeSessionResponse* response) override;

  // ListStaffMembers page sizes.
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 200;

 private:
  // The Session message for a stored session.
  v1::Session ToProto(const SessionRecord& s, absl::string_view current) const;

  absl::Status DoLogin(const v1::LoginRequest& request,
                       const server::Caller& caller,
                       v1::LoginResponse* response);
  absl::Status DoChangePassword(const v1::ChangePasswordRequest& request,
                                const server::Caller& caller);
  absl::Status DoUpdate(const v1::UpdateStaffMemberRequest& request,
                        const server::Caller& caller, v1::StaffMember* out);

  StaffStore* store_;
  StaffServiceOptions options_;
  server::Rpcs rpcs_;
  // A hash of a random password with options_.argon2: verified against when
  // the email is unknown, so the answer takes as long as for a known one.
  std::string dummy_hash_;
};

}  // namespace clinic::staff

#endif  // CLINIC_SERVICES_STAFF_SERVICE_H_
