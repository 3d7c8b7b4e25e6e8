// Structured errors (AIP-193): field violations and reasons carried with an
// absl::Status as payloads of the standard google.rpc detail messages, so
// that ToGrpcStatus sends them as gRPC error details, the gateway passes them
// on as Connect error details, and the web app reads them without parsing
// the message. The message stays for people.
#ifndef CLINIC_SERVICES_COMMON_STATUS_ERRORS_H_
#define CLINIC_SERVICES_COMMON_STATUS_ERRORS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace clinic::status {

// Type URLs of the payloads (as google.protobuf.Any names them).
inline constexpr char kBadRequestType[] =
    "type.googleapis.com/google.rpc.BadRequest";
inline constexpr char kErrorInfoType[] =
    "type.googleapis.com/google.rpc.ErrorInfo";

// One invalid field: its path in the request ("patient.email") and what is
// wrong with it, for people ("not a valid email address").
struct FieldViolation {
  std::string field;
  std::string description;
};

// INVALID_ARGUMENT for one field. The message is "field: description" (or
// the description alone for an empty field); the BadRequest detail names the
// field.
absl::Status InvalidField(absl::string_view field,
                          absl::string_view description);

// INVALID_ARGUMENT for several fields at once (the message joins them with
// "; "). OK when `violations` is empty.
absl::Status InvalidFields(const std::vector<FieldViolation>& violations);

// `status` (any code, e.g. ALREADY_EXISTS for an email in use) with a
// BadRequest detail naming `violations`, so a form shows it at the field.
absl::Status WithFieldViolations(absl::Status status,
                                 const std::vector<FieldViolation>& violations);

// The field violations a status carries (none for other statuses).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// `status` with its field violations renamed by `rename` (field -> the name
// the caller's form knows), for a service that passes on another's errors.
// An INVALID_ARGUMENT's message is rebuilt from the new names; other
// payloads (a reason) are kept.
absl::Status RenameFields(
    const absl::Status& status,
    absl::FunctionRef<std::string(absl::string_view field)> rename);

// Collects every violation of a request, so a client sees them all at once:
//   Violations v;
//   v.Check(ValidateName("patient.given_name", p.given_name()));
//   ...
//   return v.ToStatus();
class Violations {
 public:
  // Records `field` as invalid.
  void Add(absl::string_view field, absl::string_view description);
  // Records the violations of a failed check. An INVALID_ARGUMENT without
  // details counts as one violation of no particular field. Returns
  // `status.ok()`; a status that is not INVALID_ARGUMENT is kept and returned
  // first by ToStatus.
  bool Check(const absl::Status& status);
  bool empty() const { return violations_.empty() && other_.ok(); }
  // OK, the first non-INVALID_ARGUMENT status, or INVALID_ARGUMENT with all.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
  absl::Status other_;
};

// Why an error happened, for programs: ErrorInfo{reason, domain, metadata}.
struct Reason {
  std::string reason;  // "SLOT_TAKEN"
  std::string domain;  // "appointments.clinic"
  std::map<std::string, std::string> metadata;
};

// `status` with an ErrorInfo detail. Returns `status` unchanged if OK.
absl::Status WithReason(absl::Status status, const Reason& reason);

// The ErrorInfo a status carries, if any.
std::optional<Reason> ReasonOf(const absl::Status& status);

}  // namespace clinic::status

#endif  // CLINIC_SERVICES_COMMON_STATUS_ERRORS_H_
