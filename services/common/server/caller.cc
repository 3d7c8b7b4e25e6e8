#include "services/common/server/caller.h"

#include <google/protobuf/descriptor.h>
#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/access/access.h"

namespace clinic::server {
namespace {

std::string Metadata(const grpc::ServerContextBase& context, const char* key) {
  const auto& md = context.client_metadata();
  auto it = md.find(key);
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? a[i] : 0;
    const unsigned char y = i < b.size() ? b[i] : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

}  // namespace

bool Caller::HasRole(api::v1::StaffRole role) const {
  for (api::v1::StaffRole r : roles) {
    if (r == role) return true;
  }
  return false;
}

std::string Caller::actor() const { return anonymous() ? "anonymous" : staff; }

std::vector<std::string> Caller::role_names() const {
  std::vector<std::string> names;
  for (api::v1::StaffRole r : roles) {
    names.push_back(api::v1::StaffRole_Name(r));
  }
  return names;
}

CallerVerifier::CallerVerifier(std::string secret)
    : secret_(std::move(secret)) {}

absl::StatusOr<Caller> CallerVerifier::Verify(
    const grpc::ServerContextBase& context) const {
  if (secret_.empty() ||
      !ConstantTimeEquals(Metadata(context, kGatewaySecretKey), secret_)) {
    return absl::UnauthenticatedError(
        "calls must come through the gateway (missing or wrong "
        "x-clinic-gateway-secret)");
  }
  Caller caller;
  caller.staff = Metadata(context, kStaffKey);
  caller.session = Metadata(context, kSessionKey);
  caller.request_id = Metadata(context, kRequestIdKey);
  caller.client_address = Metadata(context, kClientAddressKey);
  for (absl::string_view name :
       absl::StrSplit(Metadata(context, kRolesKey), ',', absl::SkipEmpty())) {
    api::v1::StaffRole role;
    if (api::v1::StaffRole_Parse(std::string(absl::StripAsciiWhitespace(name)),
                                 &role) &&
        role != api::v1::STAFF_ROLE_UNSPECIFIED) {
      caller.roles.push_back(role);
    }
  }
  if (caller.staff.empty()) caller.roles.clear();
  return caller;
}

void CallerVerifier::Forward(const Caller& caller,
                             grpc::ClientContext& context) const {
  context.AddMetadata(kGatewaySecretKey, secret_);
  if (!caller.staff.empty()) {
    context.AddMetadata(kStaffKey, caller.staff);
    context.AddMetadata(kRolesKey, absl::StrJoin(caller.role_names(), ","));
  }
  if (!caller.session.empty()) context.AddMetadata(kSessionKey, caller.session);
  if (!caller.request_id.empty()) {
    context.AddMetadata(kRequestIdKey, caller.request_id);
  }
  if (!caller.client_address.empty()) {
    context.AddMetadata(kClientAddressKey, caller.client_address);
  }
}

absl::Status CheckAccess(const Caller& caller,
                         const google::protobuf::MethodDescriptor& method) {
  std::optional<access::Principal> principal;
  if (!caller.anonymous()) principal = access::Principal{caller.roles};
  return access::CheckAccess(method.options().GetExtension(api::v1::access),
                             principal, access::Via::kService);
}

absl::StatusOr<std::string> LoadGatewaySecret(const std::string& file) {
  if (const char* env = std::getenv("CLINIC_GATEWAY_SECRET"); env && *env) {
    return std::string(env);
  }
  if (!file.empty()) {
    std::ifstream in(file);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string secret(absl::StripAsciiWhitespace(ss.str()));
    if (in && !secret.empty()) return secret;
    return absl::FailedPreconditionError(
        "cannot read the gateway secret from " + file);
  }
  return absl::FailedPreconditionError(
      "no gateway secret: set CLINIC_GATEWAY_SECRET or --gateway_secret_file");
}

}  // namespace clinic::server
