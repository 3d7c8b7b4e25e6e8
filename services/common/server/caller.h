// Who is calling: the identity the gateway forwards in gRPC metadata, and
// the check that it really came from the gateway (a shared secret).
//
// The gateway authenticates the browser's session, then sets on every call
// it forwards:
//   x-clinic-gateway-secret   the shared secret (services refuse calls
//                             without it: UNAUTHENTICATED)
//   x-clinic-staff            "staff/{member}" (absent: anonymous caller)
//   x-clinic-roles            "STAFF_ROLE_ADMIN,STAFF_ROLE_THERAPIST"
//   x-clinic-session          "staff/{member}/sessions/{session}"
//   x-request-id              the request id (also X-Request-Id to the browser)
//   x-clinic-client-address   the browser's address
// Services calling each other forward the same metadata (ForwardCaller).
#ifndef CLINIC_SERVICES_COMMON_SERVER_CALLER_H_
#define CLINIC_SERVICES_COMMON_SERVER_CALLER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clinic/api/v1/access.pb.h"

namespace google::protobuf {
class MethodDescriptor;
}  // namespace google::protobuf

namespace grpc {
class ClientContext;
class ServerContextBase;
}  // namespace grpc

namespace clinic::server {

inline constexpr char kGatewaySecretKey[] = "x-clinic-gateway-secret";
inline constexpr char kStaffKey[] = "x-clinic-staff";
inline constexpr char kRolesKey[] = "x-clinic-roles";
inline constexpr char kSessionKey[] = "x-clinic-session";
inline constexpr char kRequestIdKey[] = "x-request-id";
inline constexpr char kClientAddressKey[] = "x-clinic-client-address";

struct Caller {
  std::string staff;  // "staff/{member}", empty when anonymous
  std::vector<api::v1::StaffRole> roles;
  std::string session;  // "staff/{member}/sessions/{session}"
  std::string request_id;
  std::string client_address;

  bool anonymous() const { return staff.empty(); }
  bool HasRole(api::v1::StaffRole role) const;
  // "staff/{member}", or "anonymous".
  std::string actor() const;
  // Role names, e.g. {"STAFF_ROLE_ADMIN"}.
  std::vector<std::string> role_names() const;
};

// A call being served: who calls, and which RPC ("pkg.Service/Method").
// Handlers' bodies receive it from server::Rpcs (rpc.h).
struct Call : Caller {
  std::string method;
};

// Reads and checks the caller of a server call.
class CallerVerifier {
 public:
  // `secret` is the shared secret the gateway sends; it must not be empty.
  explicit CallerVerifier(std::string secret);

  // UNAUTHENTICATED unless the call carries the secret (compared in constant
  // time); otherwise the caller the metadata names.
  absl::StatusOr<Caller> Verify(const grpc::ServerContextBase& context) const;

  // Sets `caller` and the secret on an outbound call's metadata.
  void Forward(const Caller& caller, grpc::ClientContext& context) const;

 private:
  std::string secret_;
};

// Checks `caller` against the method's (clinic.api.v1.access) option with
// the gateway's policy (access::CheckAccess, via a service: internal_only
// methods are allowed). Services check again: defense in depth.
absl::Status CheckAccess(const Caller& caller,
                         const google::protobuf::MethodDescriptor& method);

// Reads the secret from $CLINIC_GATEWAY_SECRET, or else from the file named
// by --gateway_secret_file; FAILED_PRECONDITION if neither gives one.
absl::StatusOr<std::string> LoadGatewaySecret(const std::string& file);

}  // namespace clinic::server

#endif  // CLINIC_SERVICES_COMMON_SERVER_CALLER_H_
