// clinic.patients.v1.PatientService: validates, calls the store, maps errors.
#ifndef CLINIC_SERVICES_PATIENTS_SERVICE_H_
#define CLINIC_SERVICES_PATIENTS_SERVICE_H_

#include <functional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/time/time.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "services/common/server/caller.h"
#include "services/patients/store.h"

namespace clinic::patients {

struct PatientServiceOptions {
  // Region for phone numbers without a country code.
  std::string default_region = "US";
  // The clock; tests inject a fixed one.
  std::function<absl::Time()> now = absl::Now;
};

// Every handler first checks the caller (the gateway's shared secret, then
// the RPC's access option again) and records one audit event: in the
// store's transaction when the call succeeds, on its own when it fails.
class PatientServiceImpl final : public v1::PatientService::Service {
 public:
  // `store` and `verifier` must outlive the service.
  PatientServiceImpl(PatientStore* store,
                     const server::CallerVerifier* verifier,
                     PatientServiceOptions options);

  grpc::Status GetPatient(grpc::ServerContext* context,
                          const v1::GetPatientRequest* request,
                          v1::Patient* response) override;
  grpc::Status ListPatients(grpc::ServerContext* context,
                            const v1::ListPatientsRequest* request,
                            v1::ListPatientsResponse* response) override;
  grpc::Status CreatePatient(grpc::ServerContext* context,
                             const v1::CreatePatientRequest* request,
                             v1::Patient* response) override;
  grpc::Status UpdatePatient(grpc::ServerContext* context,
                             const v1::UpdatePatientRequest* request,
                             v1::Patient* response) override;
  grpc::Status FindOrCreatePatient(
      grpc::ServerContext* context,
      const v1::FindOrCreatePatientRequest* request,
      v1::FindOrCreatePatientResponse* response) override;
  grpc::Status ArchivePatient(grpc::ServerContext* context,
                              const v1::ArchivePatientRequest* request,
                              v1::Patient* response) override;
  grpc::Status ListPatientAuditEvents(
      grpc::ServerContext* context,
      const audit::v1::ListAuditEventsRequest* request,
      audit::v1::ListAuditEventsResponse* response) override;

  // ListPatients page sizes.
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 200;

 private:
  // Verifies and authorizes the caller of `method`, runs `body` with the
  // audit context, and records a failure event if it (or the check) fails.
  // `resource` names what the call is about, for that failure event.
  grpc::Status Handle(
      grpc::ServerContext* context, const char* method,
      const std::string& resource,
      absl::FunctionRef<absl::Status(const audit::AuditContext&)> body);

  PatientStore* store_;
  const server::CallerVerifier* verifier_;
  PatientServiceOptions options_;
};

}  // namespace clinic::patients

#endif  // CLINIC_SERVICES_PATIENTS_SERVICE_H_
