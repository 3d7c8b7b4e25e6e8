// clinic.screenings.v1.ScreeningService: validates, calls the store, maps
// errors. server::Rpcs verifies callers and enforces access; every call is
// audited (patient information): in the store's transaction when it
// succeeds, on its own when it fails.
#ifndef CLINIC_SERVICES_SCREENINGS_SERVICE_H_
#define CLINIC_SERVICES_SCREENINGS_SERVICE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clinic/screenings/v1/screenings_service.grpc.pb.h"
#include "services/common/clients/patients.h"
#include "services/common/server/rpc.h"
#include "services/screenings/scheduling.h"
#include "services/screenings/store.h"

namespace clinic::screenings {

struct ScreeningServiceOptions {
  // Region for phone numbers without a country code.
  std::string default_region = "US";
  // The screening protocols (LoadShippedProtocols()).
  std::vector<v1::ScreeningProtocol> protocols;
  // Where CreateScreening checks that the patient exists and reads their
  // phone and email (to link the contact request). Required; must outlive
  // the service.
  clients::PatientDirectory* patients = nullptr;
  // Where ConvertScreening books the initial evaluation; null:
  // ConvertScreening is FAILED_PRECONDITION. Must outlive the service.
  EvaluationScheduler* scheduler = nullptr;
};

// The protocols in protocols/*.textproto, parsed and checked; the first
// problem found otherwise (the service does not start with a broken one).
absl::StatusOr<std::vector<v1::ScreeningProtocol>> LoadShippedProtocols();

class ScreeningServiceImpl final
    : public v1::ScreeningService::CallbackService {
 public:
  // `store` and `verifier` must outlive the service.
  ScreeningServiceImpl(ContactStore* store,
                       const server::CallerVerifier* verifier,
                       ScreeningServiceOptions options);

  grpc::ServerUnaryReactor* CreateContactRequest(
      grpc::CallbackServerContext* context,
      const v1::CreateContactRequestRequest* request,
      v1::ContactRequest* response) override;
  grpc::ServerUnaryReactor* GetContactRequest(
      grpc::CallbackServerContext* context,
      const v1::GetContactRequestRequest* request,
      v1::ContactRequest* response) override;
  grpc::ServerUnaryReactor* ListContactRequests(
      grpc::CallbackServerContext* context,
      const v1::ListContactRequestsRequest* request,
      v1::ListContactRequestsResponse* response) override;
  grpc::ServerUnaryReactor* RecordContactAttempt(
      grpc::CallbackServerContext* context,
      const v1::RecordContactAttemptRequest* request,
      v1::ContactRequest* response) override;
  grpc::ServerUnaryReactor* CreateScreening(
      grpc::CallbackServerContext* context,
      const v1::CreateScreeningRequest* request,
      v1::Screening* response) override;
  grpc::ServerUnaryReactor* GetScreening(grpc::CallbackServerContext* context,
                                         const v1::GetScreeningRequest* request,
                                         v1::Screening* response) override;
  grpc::ServerUnaryReactor* ListScreenings(
      grpc::CallbackServerContext* context,
      const v1::ListScreeningsRequest* request,
      v1::ListScreeningsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateScreening(
      grpc::CallbackServerContext* context,
      const v1::UpdateScreeningRequest* request,
      v1::Screening* response) override;
  grpc::ServerUnaryReactor* CompleteScreening(
      grpc::CallbackServerContext* context,
      const v1::CompleteScreeningRequest* request,
      v1::Screening* response) override;
  grpc::ServerUnaryReactor* AddScreeningAddendum(
      grpc::CallbackServerContext* context,
      const v1::AddScreeningAddendumRequest* request,
      v1::Screening* response) override;
  grpc::ServerUnaryReactor* ConvertScreening(
      grpc::CallbackServerContext* context,
      const v1::ConvertScreeningRequest* request,
      v1::ConvertScreeningResponse* response) override;
  grpc::ServerUnaryReactor* GetFunnelReport(
      grpc::CallbackServerContext* context,
      const v1::GetFunnelReportRequest* request,
      v1::FunnelReport* response) override;
  grpc::ServerUnaryReactor* ListScreeningProtocols(
      grpc::CallbackServerContext* context,
      const v1::ListScreeningProtocolsRequest* request,
      v1::ListScreeningProtocolsResponse* response) override;
  grpc::ServerUnaryReactor* EvaluateScreening(
      grpc::CallbackServerContext* context,
      const v1::EvaluateScreeningRequest* request,
      v1::ScreeningEvaluation* response) override;

  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 200;

 private:
  void RecordFailure(const server::Call& call, const std::string& resource,
                     const absl::Status& result);
  // The loaded protocol named `name`, or null.
  const v1::ScreeningProtocol* Protocol(const std::string& name) const;
  // `s` with the protocol's evaluation of its answers.
  absl::Status Evaluated(v1::Screening& s) const;

  ContactStore* store_;
  ScreeningServiceOptions options_;
  server::Rpcs rpcs_;
};

}  // namespace clinic::screenings

#endif  // CLINIC_SERVICES_SCREENINGS_SERVICE_H_
