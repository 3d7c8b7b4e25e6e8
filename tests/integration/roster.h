// deploy/services.roster, read: the services of the clinic, what each
// serves and calls.
#ifndef CLINIC_TESTS_INTEGRATION_ROSTER_H_
#define CLINIC_TESTS_INTEGRATION_ROSTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace clinic::integration {

struct RosterEntry {
  std::string name;                   // "appointments"
  std::string target;                 // "//services/appointments:appointments"
  int port = 0;                       // default gRPC port
  std::vector<std::string> services;  // full gRPC service names
  std::vector<std::string> calls;     // names of other entries
  std::string schema;                 // the schema it owns; "" for none
};

// Parses the roster's text; INVALID_ARGUMENT names the bad line.
absl::StatusOr<std::vector<RosterEntry>> ParseRoster(const std::string& text);

// Reads deploy/services.roster from the test's runfiles.
absl::StatusOr<std::vector<RosterEntry>> ReadRoster();

}  // namespace clinic::integration

#endif  // CLINIC_TESTS_INTEGRATION_ROSTER_H_
