#ifndef CLINIC_SERVICES_GATEWAY_BACKEND_FLAGS_H_
#define CLINIC_SERVICES_GATEWAY_BACKEND_FLAGS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace clinic::gateway {

// Parses --backend values, each "<full.service.Name>=<host:port>" or a
// comma-separated list of them, into service name -> gRPC target. A target
// "ipv4:a:1,b:2" lists several addresses (replicas): a part without '='
// after an ipv4: target continues it. A service named twice, an empty part
// or another part without '=' is INVALID_ARGUMENT.
absl::StatusOr<std::map<std::string, std::string>> ParseBackendSpecs(
    const std::vector<std::string>& values);

// Every value given to the flag `name` on the command line, in order, in both
// spellings "--name=value" and "--name value" (also with a single '-').
// absl flags keep only the last occurrence of a flag; this lets --backend be
// repeated. Stops at "--".
std::vector<std::string> CollectRepeatedFlag(int argc, const char* const* argv,
                                             const std::string& name);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_BACKEND_FLAGS_H_
