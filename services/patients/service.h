// clinic.patients.v1.PatientService: validates, calls the store, maps errors.
#ifndef CLINIC_SERVICES_PATIENTS_SERVICE_H_
#define CLINIC_SERVICES_PATIENTS_SERVICE_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "services/patients/store.h"

namespace clinic::patients {

struct PatientServiceOptions {
  // Region for phone numbers without a country code.
  std::string default_region = "US";
  // The clock; tests inject a fixed one.
  std::function<absl::Time()> now = absl::Now;
};

class PatientServiceImpl final : public v1::PatientService::Service {
 public:
  // `store` must outlive the service.
  PatientServiceImpl(PatientStore* store, PatientServiceOptions options);

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

  // ListPatients page sizes.
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 200;

 private:
  PatientStore* store_;
  PatientServiceOptions options_;
};

}  // namespace clinic::patients

#endif  // CLINIC_SERVICES_PATIENTS_SERVICE_H_
