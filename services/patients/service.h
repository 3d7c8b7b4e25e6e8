// clinic.patients.v1.PatientService: validates, calls the store, maps errors.
#ifndef CLINIC_SERVICES_PATIENTS_SERVICE_H_
#define CLINIC_SERVICES_PATIENTS_SERVICE_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "services/common/server/rpc.h"
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
class PatientServiceImpl final : public v1::PatientService::CallbackService {
 public:
  // `store` and `verifier` must outlive the service.
  PatientServiceImpl(PatientStore* store,
                     const server::CallerVerifier* verifier,
                     PatientServiceOptions options);

  grpc::ServerUnaryReactor* GetPatient(grpc::CallbackServerContext* context,
                                       const v1::GetPatientRequest* request,
                                       v1::Patient* response) override;
  grpc::ServerUnaryReactor* ListPatients(
      grpc::CallbackServerContext* context,
      const v1::ListPatientsRequest* request,
      v1::ListPatientsResponse* response) override;
  grpc::ServerUnaryReactor* ExistingPatients(
      grpc::CallbackServerContext* context,
      const v1::ExistingPatientsRequest* request,
      v1::ExistingPatientsResponse* response) override;
  grpc::ServerUnaryReactor* OptOutOfReminders(
      grpc::CallbackServerContext* context,
      const v1::OptOutOfRemindersRequest* request,
      v1::Patient* response) override;
  grpc::ServerUnaryReactor* FindSimilarPatients(
      grpc::CallbackServerContext* context,
      const v1::FindSimilarPatientsRequest* request,
      v1::FindSimilarPatientsResponse* response) override;
  grpc::ServerUnaryReactor* CreatePatient(
      grpc::CallbackServerContext* context,
      const v1::CreatePatientRequest* request, v1::Patient* response) override;
  grpc::ServerUnaryReactor* UpdatePatient(
      grpc::CallbackServerContext* context,
      const v1::UpdatePatientRequest* request, v1::Patient* response) override;
  grpc::ServerUnaryReactor* FindOrCreatePatient(
      grpc::CallbackServerContext* context,
      const v1::FindOrCreatePatientRequest* request,
      v1::FindOrCreatePatientResponse* response) override;
  grpc::ServerUnaryReactor* ArchivePatient(
      grpc::CallbackServerContext* context,
      const v1::ArchivePatientRequest* request, v1::Patient* response) override;
  grpc::ServerUnaryReactor* ListPatientAuditEvents(
      grpc::CallbackServerContext* context,
      const audit::v1::ListAuditEventsRequest* request,
      audit::v1::ListAuditEventsResponse* response) override;

  // ListPatients page sizes.
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 200;

 private:
  // Records a failed call (refusals included) in the audit trail.
  void RecordFailure(const server::Call& call, const std::string& resource,
                     const absl::Status& result);

  PatientStore* store_;
  PatientServiceOptions options_;
  server::Rpcs rpcs_;
};

}  // namespace clinic::patients

#endif  // CLINIC_SERVICES_PATIENTS_SERVICE_H_
