// Control characters never reach a service's code: every string field of a
// request (at any depth, repeated and map values included) is checked for
// NUL and the other C0 controls but tab, line feed and carriage return, and
// for DEL. libpq ends a parameter at NUL, so "a\0b" would silently search
// for "a"; the others are never a name, a note or an id.
//
// Server::Start installs an interceptor that checks each clinic.* unary
// request as it arrives and notes what it finds against the call; Rpcs
// (rpc.h) then answers INVALID_ARGUMENT naming every such field, before the
// caller is even verified.
#ifndef CLINIC_SERVICES_COMMON_SERVER_TEXT_GUARD_H_
#define CLINIC_SERVICES_COMMON_SERVER_TEXT_GUARD_H_

#include <memory>

#include "absl/status/status.h"

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace grpc {
class ServerContextBase;
namespace experimental {
class ServerInterceptorFactoryInterface;
}  // namespace experimental
}  // namespace grpc

namespace clinic::server {

// OK, or INVALID_ARGUMENT with one violation per string field holding a
// control character ("patient.given_name", "address_lines[1]"): "must not
// contain control characters".
absl::Status CheckRequestText(const google::protobuf::Message& request);

// The interceptor Server::Start installs.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewTextGuardFactory();

// What the interceptor found for the call (OK if nothing), forgotten once
// read.
absl::Status TakeTextViolations(const grpc::ServerContextBase& context);

}  // namespace clinic::server

#endif  // CLINIC_SERVICES_COMMON_SERVER_TEXT_GUARD_H_
