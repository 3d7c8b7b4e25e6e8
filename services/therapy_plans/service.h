// clinic.therapy_plans.v1.TherapyPlanService: validates, checks who may see
// what, reads visits from the appointments service, calls the store.
// server::Rpcs verifies callers and enforces the roles of each RPC; every
// call is audited (patient information).
#ifndef CLINIC_SERVICES_THERAPY_PLANS_SERVICE_H_
#define CLINIC_SERVICES_THERAPY_PLANS_SERVICE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "clinic/therapy_plans/v1/therapy_plans_service.grpc.pb.h"
#include "services/common/clients/patients.h"
#include "services/common/server/rpc.h"
#include "services/therapy_plans/appointments_client.h"
#include "services/therapy_plans/store.h"

namespace clinic::therapy_plans {

struct TherapyPlanServiceOptions {
  // The clock; tests inject their own.
  std::function<absl::Time()> now = absl::Now;
  // The practice's zone, for "today" when a plan has no visits yet.
  absl::TimeZone zone = absl::UTCTimeZone();
  // The templates (LoadShippedTemplates()).
  std::vector<v1::PlanTemplate> templates;
  // Required; must outlive the service.
  clients::PatientDirectory* patients = nullptr;
  AppointmentsClient* appointments = nullptr;
};

// The templates in templates/*.textproto, parsed and checked.
absl::StatusOr<std::vector<v1::PlanTemplate>> LoadShippedTemplates();

class TherapyPlanServiceImpl final
    : public v1::TherapyPlanService::CallbackService {
 public:
  // `store` and `verifier` must outlive the service.
  TherapyPlanServiceImpl(PlanStore* store,
                         const server::CallerVerifier* verifier,
                         TherapyPlanServiceOptions options);

  grpc::ServerUnaryReactor* CreateTherapyPlan(
      grpc::CallbackServerContext* context,
      const v1::CreateTherapyPlanRequest* request,
      v1::TherapyPlan* response) override;
  grpc::ServerUnaryReactor* GetTherapyPlan(
      grpc::CallbackServerContext* context,
      const v1::GetTherapyPlanRequest* request,
      v1::TherapyPlan* response) override;
  grpc::ServerUnaryReactor* ListTherapyPlans(
      grpc::CallbackServerContext* context,
      const v1::ListTherapyPlansRequest* request,
      v1::ListTherapyPlansResponse* response) override;
  grpc::ServerUnaryReactor* UpdateTherapyPlan(
      grpc::CallbackServerContext* context,
      const v1::UpdateTherapyPlanRequest* request,
      v1::TherapyPlan* response) override;
  grpc::ServerUnaryReactor* ChangeTherapyPlanState(
      grpc::CallbackServerContext* context,
      const v1::ChangeTherapyPlanStateRequest* request,
      v1::TherapyPlan* response) override;
  grpc::ServerUnaryReactor* RecordGoalProgress(
      grpc::CallbackServerContext* context,
      const v1::RecordGoalProgressRequest* request,
      v1::TherapyPlan* response) override;
  grpc::ServerUnaryReactor* ListPlanVersions(
      grpc::CallbackServerContext* context,
      const v1::ListPlanVersionsRequest* request,
      v1::ListPlanVersionsResponse* response) override;
  grpc::ServerUnaryReactor* ListPlanTemplates(
      grpc::CallbackServerContext* context,
      const v1::ListPlanTemplatesRequest* request,
      v1::ListPlanTemplatesResponse* response) override;
  grpc::ServerUnaryReactor* ScheduleVisitSeries(
      grpc::CallbackServerContext* context,
      const v1::ScheduleVisitSeriesRequest* request,
      v1::ScheduleVisitSeriesResponse* response) override;
  grpc::ServerUnaryReactor* GetCaseload(grpc::CallbackServerContext* context,
                                        const v1::GetCaseloadRequest* request,
                                        v1::Caseload* response) override;
  grpc::ServerUnaryReactor* ListTherapyPlanAuditEvents(
      grpc::CallbackServerContext* context,
      const audit::v1::ListAuditEventsRequest* request,
      audit::v1::ListAuditEventsResponse* response) override;

 private:
  void RecordFailure(const server::Call& call, const std::string& resource,
                     const absl::Status& result);
  // The plan `name` if the caller may read it (PERMISSION_DENIED
  // otherwise), audited.
  absl::StatusOr<v1::TherapyPlan> Readable(const server::Call& call,
                                           const std::string& name);
  // The plan with its visits and alerts, and without clinical content for
  // the front desk.
  absl::Status Complete(const server::Call& call, v1::TherapyPlan& plan);
  void Fill(v1::TherapyPlan& plan, const std::vector<Visit>& visits) const;
  // PERMISSION_DENIED unless the caller is an admin or the plan's therapist.
  static absl::Status CanChange(const server::Call& call,
                                const v1::TherapyPlan& plan);

  PlanStore* store_;
  TherapyPlanServiceOptions options_;
  server::Rpcs rpcs_;
};

}  // namespace clinic::therapy_plans

#endif  // CLINIC_SERVICES_THERAPY_PLANS_SERVICE_H_
