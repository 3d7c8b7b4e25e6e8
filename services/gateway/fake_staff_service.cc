#include "services/gateway/fake_staff_service.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace clinic::gateway::testing {
namespace {

using ::clinic::api::v1::StaffRole;
using ::clinic::staff::v1::StaffMember;

grpc::Status Unauthenticated(absl::string_view message) {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::string(message));
}

StaffMember Member(const std::string& name, const std::string& email,
                   const std::string& given, StaffRole role) {
  StaffMember m;
  m.set_name(name);
  m.set_email(email);
  m.set_given_name(given);
  m.set_family_name("Test");
  m.add_roles(role);
  m.set_state(clinic::staff::v1::STAFF_STATE_ACTIVE);
  return m;
}

}  // namespace

FakeStaffService::FakeStaffService(std::string gateway_secret)
    : verifier_(std::move(gateway_secret)) {
  members_[kAdminEmail] = Member("staff/admin-1", kAdminEmail, "Ada",
                                 clinic::api::v1::STAFF_ROLE_ADMIN);
  members_[kFrontDeskEmail] = Member("staff/desk-1", kFrontDeskEmail, "Dana",
                                     clinic::api::v1::STAFF_ROLE_FRONT_DESK);
  members_[kTherapistEmail] =
      Member("staff/therapist-1", kTherapistEmail, "Theo",
             clinic::api::v1::STAFF_ROLE_THERAPIST);
  absl::MutexLock lock(&mu_);
  StartSession(kAdminToken, kAdminEmail);
  StartSession(kFrontDeskToken, kFrontDeskEmail);
  StartSession(kTherapistToken, kTherapistEmail);
}

void FakeStaffService::StartSession(const std::string& token,
                                    const std::string& email) {
  sessions_[token] = Live{email, absl::StrCat(members_.at(email).name(),
                                              "/sessions/s", next_session_++)};
}

grpc::Status FakeStaffService::Login(
    grpc::ServerContext* context,
    const clinic::staff::v1::LoginRequest* request,
    clinic::staff::v1::LoginResponse* response) {
  absl::StatusOr<server::Caller> caller = verifier_.Verify(*context);
  if (!caller.ok()) return Unauthenticated(caller.status().message());
  absl::MutexLock lock(&mu_);
  last_login_ = *request;
  if (request->email() == kThrottledEmail) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "too many failed sign-ins; try again in 15 minutes");
  }
  auto member = members_.find(request->email());
  if (member == members_.end() || request->password() != kPassword) {
    return Unauthenticated("wrong email or password");
  }
  const std::string token =
      absl::StrCat("loginToken", next_session_, "0123456789abcdef");
  StartSession(token, request->email());
  response->set_session_token(token);
  *response->mutable_staff_member() = member->second;
  response->mutable_session()->set_name(sessions_[token].session_name);
  response->mutable_session()->set_client_address(request->client_address());
  return grpc::Status::OK;
}

grpc::Status FakeStaffService::ValidateSession(
    grpc::ServerContext* context,
    const clinic::staff::v1::ValidateSessionRequest* request,
    clinic::staff::v1::ValidateSessionResponse* response) {
  absl::StatusOr<server::Caller> caller = verifier_.Verify(*context);
  if (!caller.ok()) return Unauthenticated(caller.status().message());
  absl::MutexLock lock(&mu_);
  ++validate_calls_;
  auto it = sessions_.find(request->session_token());
  if (it == sessions_.end()) return Unauthenticated("no such session");
  *response->mutable_staff_member() = members_.at(it->second.member_email);
  response->mutable_session()->set_name(it->second.session_name);
  response->mutable_session()->set_current(true);
  return grpc::Status::OK;
}

grpc::Status FakeStaffService::Logout(grpc::ServerContext* context,
                                      const clinic::staff::v1::LogoutRequest*,
                                      clinic::staff::v1::LogoutResponse*) {
  absl::StatusOr<server::Caller> caller = verifier_.Verify(*context);
  if (!caller.ok()) return Unauthenticated(caller.status().message());
  if (caller->anonymous()) return Unauthenticated("no caller");
  absl::MutexLock lock(&mu_);
  last_logout_caller_ = *caller;
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (it->second.session_name == caller->session) {
      sessions_.erase(it);
      return grpc::Status::OK;
    }
  }
  return Unauthenticated("no such session");
}

clinic::staff::v1::LoginRequest FakeStaffService::last_login() {
  absl::MutexLock lock(&mu_);
  return last_login_;
}

server::Caller FakeStaffService::last_logout_caller() {
  absl::MutexLock lock(&mu_);
  return last_logout_caller_;
}

int FakeStaffService::validate_calls() {
  absl::MutexLock lock(&mu_);
  return validate_calls_;
}

void FakeStaffService::EndSession(const std::string& token) {
  absl::MutexLock lock(&mu_);
  sessions_.erase(token);
}

}  // namespace clinic::gateway::testing
