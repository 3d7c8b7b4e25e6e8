// Storage of plans of care. Plans are passed in validated (validation.h);
// every call that returns a plan records an audit event in its
// transaction when `audit` is set.
#ifndef CLINIC_SERVICES_THERAPY_PLANS_STORE_H_
#define CLINIC_SERVICES_THERAPY_PLANS_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clinic/audit/v1/audit.pb.h"
#include "clinic/therapy_plans/v1/therapy_plans.pb.h"
#include "services/common/audit/audit.h"
#include "services/common/db/request_key.h"

namespace clinic::therapy_plans {

using db::RequestKey;
using Audit = const audit::AuditContext*;
// Runs on the current plan under its row lock; may change `plan` (the new
// content) or refuse.
using Change = std::function<absl::Status(v1::TherapyPlan& plan)>;

class PlanStore {
 public:
  virtual ~PlanStore() = default;

  // Inserts a draft; idempotent by `key`.
  virtual absl::StatusOr<v1::TherapyPlan> Create(const v1::TherapyPlan& plan,
                                                 const std::string& staff,
                                                 const RequestKey& key,
                                                 Audit audit) = 0;
  // NOT_FOUND if none.
  virtual absl::StatusOr<v1::TherapyPlan> Get(const std::string& id,
                                              Audit audit) = 0;
  // A patient's plans, newest first.
  virtual absl::StatusOr<std::vector<v1::TherapyPlan>> ListForPatient(
      const std::string& patient, Audit audit) = 0;
  // A therapist's active and on-hold plans.
  virtual absl::StatusOr<std::vector<v1::TherapyPlan>> Caseload(
      const std::string& therapist, Audit audit) = 0;
  // Under the row lock: ABORTED for a stale etag (if set); runs `change` on
  // the current plan; keeps the previous version; stores the result (state
  // included) as the next version by `staff`.
  virtual absl::StatusOr<v1::TherapyPlan> Update(const std::string& id,
                                                 const std::string& etag,
                                                 const std::string& staff,
                                                 const Change& change,
                                                 Audit audit) = 0;
  // Earlier versions, newest first.
  virtual absl::StatusOr<std::vector<v1::PlanVersion>> Versions(
      const std::string& id, Audit audit) = 0;

  // The stored answer of a series booked under `key`, if any; and saving
  // one.
  virtual absl::StatusOr<std::optional<std::string>> FindSeries(
      const RequestKey& key) = 0;
  virtual absl::Status SaveSeries(const RequestKey& key,
                                  const std::string& plan_name,
                                  const std::string& answer, Audit audit) = 0;

  virtual absl::Status RecordFailure(const audit::AuditContext& audit,
                                     const std::string& resource,
                                     const std::string& outcome) = 0;
  virtual absl::StatusOr<audit::v1::ListAuditEventsResponse> ListAuditEvents(
      const audit::v1::ListAuditEventsRequest& request) = 0;
};

}  // namespace clinic::therapy_plans

#endif  // CLINIC_SERVICES_THERAPY_PLANS_STORE_H_
