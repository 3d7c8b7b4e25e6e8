// Patients as the other services see them: through
// clinic.patients.v1.PatientService, asked as the caller being served (the
// patients service applies its access rules and audits the read).
// Cross-service references are names (DESIGN.md), so a service that stores
// "patients/{uuid}" asks here first that the patient exists.
#ifndef CLINIC_SERVICES_COMMON_CLIENTS_PATIENTS_H_
#define CLINIC_SERVICES_COMMON_CLIENTS_PATIENTS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/patients/v1/patients.pb.h"
#include "services/common/server/caller.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace clinic::clients {

class PatientDirectory {
 public:
  virtual ~PatientDirectory() = default;

  // The patient `name` ("patients/{uuid}"), asked as `caller`. NOT_FOUND if
  // there is none; UNAVAILABLE or DEADLINE_EXCEEDED when the patients
  // service cannot answer.
  virtual absl::StatusOr<patients::v1::Patient> Get(
      const server::Caller& caller, const std::string& name) = 0;

  // OK if `name` names a patient (archived or not), NOT_FOUND if not. Reads
  // no attribute (ExistingPatients: not audited); remembered like Get.
  virtual absl::Status Exists(const server::Caller& caller,
                              const std::string& name) = 0;
};

struct PatientDirectoryOptions {
  // Each call's deadline.
  absl::Duration timeout = absl::Seconds(3);
  // How long a patient found is remembered (patients are archived, never
  // deleted, so "exists" stays true); 0: every Get asks. At most
  // `max_remembered` are kept.
  absl::Duration remember_for = absl::ZeroDuration();
  size_t max_remembered = 10000;
};

// Asks PatientService/GetPatient, forwarding the caller with the gateway
// secret (server::CallerVerifier::Forward).
class GrpcPatientDirectory : public PatientDirectory {
 public:
  // `verifier` must outlive this.
  GrpcPatientDirectory(std::shared_ptr<grpc::Channel> channel,
                       const server::CallerVerifier* verifier,
                       PatientDirectoryOptions options = {});
  ~GrpcPatientDirectory() override;

  absl::StatusOr<patients::v1::Patient> Get(const server::Caller& caller,
                                            const std::string& name) override;
  absl::Status Exists(const server::Caller& caller,
                      const std::string& name) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// OK if `patient` names an existing patient; otherwise INVALID_ARGUMENT on
// `field` ("there is no such patient"), or the directory's failure.
// Returns the patient found.
absl::StatusOr<patients::v1::Patient> CheckPatient(PatientDirectory& directory,
                                                   const server::Caller& caller,
                                                   const std::string& field,
                                                   const std::string& patient);

// The same for existence alone (no attribute read, nothing audited).
absl::Status PatientExists(PatientDirectory& directory,
                           const server::Caller& caller,
                           const std::string& field,
                           const std::string& patient);

}  // namespace clinic::clients

#endif  // CLINIC_SERVICES_COMMON_CLIENTS_PATIENTS_H_
