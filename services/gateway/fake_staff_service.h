// An in-memory clinic.staff.v1.StaffService for the gateway's HTTP tests (the
// real one lives in services/staff). It checks the gateway secret like the
// real service, knows three members with one role each and a live session
// each, accepts one password, and forgets a session on Logout.
#ifndef CLINIC_SERVICES_GATEWAY_FAKE_STAFF_SERVICE_H_
#define CLINIC_SERVICES_GATEWAY_FAKE_STAFF_SERVICE_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "clinic/staff/v1/staff_service.grpc.pb.h"
#include "services/common/server/caller.h"

namespace clinic::gateway::testing {

class FakeStaffService final : public clinic::staff::v1::StaffService::Service {
 public:
  // The only password Login accepts.
  static constexpr char kPassword[] = "correct horse battery staple";
  // Login with this email is always throttled: RESOURCE_EXHAUSTED
  // "too many failed sign-ins; try again in 15 minutes".
  static constexpr char kThrottledEmail[] = "throttled@clinic.test";
  // Members: email -> name, role; each has a live session with this token.
  static constexpr char kAdminEmail[] = "admin@clinic.test";
  static constexpr char kAdminToken[] = "tokenAdmin0123456789abcdef";
  static constexpr char kFrontDeskEmail[] = "desk@clinic.test";
  static constexpr char kFrontDeskToken[] = "tokenFrontDesk0123456789ab";
  static constexpr char kTherapistEmail[] = "therapist@clinic.test";
  static constexpr char kTherapistToken[] = "tokenTherapist0123456789ab";

  explicit FakeStaffService(std::string gateway_secret);

  grpc::Status Login(grpc::ServerContext* context,
                     const clinic::staff::v1::LoginRequest* request,
                     clinic::staff::v1::LoginResponse* response) override;
  grpc::Status ValidateSession(
      grpc::ServerContext* context,
      const clinic::staff::v1::ValidateSessionRequest* request,
      clinic::staff::v1::ValidateSessionResponse* response) override;
  grpc::Status Logout(grpc::ServerContext* context,
                      const clinic::staff::v1::LogoutRequest* request,
                      clinic::staff::v1::LogoutResponse* response) override;

  // The last Login request as received, and the caller of the last Logout.
  clinic::staff::v1::LoginRequest last_login();
  server::Caller last_logout_caller();
  int validate_calls();
  // Ends the session of `token` as a deactivation or a revocation through
  // another gateway would (the gateway is not told).
  void EndSession(const std::string& token);

 private:
  struct Live {
    std::string member_email;
    std::string session_name;
  };
  void StartSession(const std::string& token, const std::string& email)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const server::CallerVerifier verifier_;
  std::map<std::string, clinic::staff::v1::StaffMember> members_;  // by email
  absl::Mutex mu_;
  std::map<std::string, Live> sessions_ ABSL_GUARDED_BY(mu_);  // by token
  int next_session_ ABSL_GUARDED_BY(mu_) = 1;
  int validate_calls_ ABSL_GUARDED_BY(mu_) = 0;
  clinic::staff::v1::LoginRequest last_login_ ABSL_GUARDED_BY(mu_);
  server::Caller last_logout_caller_ ABSL_GUARDED_BY(mu_);
};

}  // namespace clinic::gateway::testing

#endif  // CLINIC_SERVICES_GATEWAY_FAKE_STAFF_SERVICE_H_
