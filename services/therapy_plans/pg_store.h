// PlanStore on PostgreSQL (schema "therapy_plans").
#ifndef CLINIC_SERVICES_THERAPY_PLANS_PG_STORE_H_
#define CLINIC_SERVICES_THERAPY_PLANS_PG_STORE_H_

#include <string>
#include <vector>

#include "services/common/audit/audit.h"
#include "services/common/db/pool.h"
#include "services/therapy_plans/store.h"

namespace clinic::therapy_plans {

inline constexpr char kSchema[] = "therapy_plans";

class PgPlanStore : public PlanStore {
 public:
  // `pool` must outlive the store.
  explicit PgPlanStore(db::Pool* pool)
      : pool_(pool), audit_log_(pool, "therapy_plans.audit_events") {}

  absl::StatusOr<v1::TherapyPlan> Create(const v1::TherapyPlan& plan,
                                         const std::string& staff,
                                         const RequestKey& key,
                                         Audit audit) override;
  absl::StatusOr<v1::TherapyPlan> Get(const std::string& id,
                                      Audit audit) override;
  absl::StatusOr<std::vector<v1::TherapyPlan>> ListForPatient(
      const std::string& patient, Audit audit) override;
  absl::StatusOr<std::vector<v1::TherapyPlan>> Caseload(
      const std::string& therapist, Audit audit) override;
  absl::StatusOr<v1::TherapyPlan> Update(const std::string& id,
                                         const std::string& etag,
                                         const std::string& staff,
                                         const Change& change,
                                         Audit audit) override;
  absl::StatusOr<std::vector<v1::PlanVersion>> Versions(const std::string& id,
                                                        Audit audit) override;
  absl::StatusOr<std::optional<std::string>> FindSeries(
      const RequestKey& key) override;
  absl::Status SaveSeries(const RequestKey& key, const std::string& plan_name,
                          const std::string& answer, Audit audit) override;
  absl::Status RecordFailure(const audit::AuditContext& audit,
                             const std::string& resource,
                             const std::string& outcome) override;
  absl::StatusOr<audit::v1::ListAuditEventsResponse> ListAuditEvents(
      const audit::v1::ListAuditEventsRequest& request) override;

 private:
  void RecordOk(pqxx::work& w, Audit audit, const std::string& resource,
                const std::vector<std::string>& resources) const;

  db::Pool* pool_;
  audit::AuditLog audit_log_;
};

// Applies migrations/ (and the kit's audit table) to `conninfo`.
absl::Status MigrateTherapyPlans(const std::string& conninfo);

}  // namespace clinic::therapy_plans

#endif  // CLINIC_SERVICES_THERAPY_PLANS_PG_STORE_H_
