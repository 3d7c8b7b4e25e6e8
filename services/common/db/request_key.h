// Retryable changes (AIP-155): the key a store records a request under, so a
// retry returns the first answer and a reused request_id with another body
// is refused.
#ifndef CLINIC_SERVICES_COMMON_DB_REQUEST_KEY_H_
#define CLINIC_SERVICES_COMMON_DB_REQUEST_KEY_H_

#include <string>

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace clinic::db {

// Stores keep, per (method, request_id), sha256 of request_bytes and what
// the first call produced.
struct RequestKey {
  std::string method;
  std::string request_id;     // empty: not idempotent
  std::string request_bytes;  // deterministic serialization of the request
};

// The message's bytes in a stable order (map entries sorted): the same
// request always gives the same bytes.
std::string DeterministicBytes(const google::protobuf::Message& message);

// Lower-case hex, for passing bytes as text: sha256(decode($n, 'hex')).
std::string HexEncode(const std::string& bytes);

}  // namespace clinic::db

#endif  // CLINIC_SERVICES_COMMON_DB_REQUEST_KEY_H_
