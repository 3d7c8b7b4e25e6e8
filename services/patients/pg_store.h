// PatientStore on PostgreSQL (schema "patients").
#ifndef CLINIC_SERVICES_PATIENTS_PG_STORE_H_
#define CLINIC_SERVICES_PATIENTS_PG_STORE_H_

#include <string>

#include "services/common/db/pool.h"
#include "services/patients/store.h"

namespace clinic::patients {

// The schema the service owns; migrations/ create everything inside it.
inline constexpr char kSchema[] = "patients";

class PgPatientStore : public PatientStore {
 public:
  // `pool` must outlive the store.
  explicit PgPatientStore(db::Pool* pool)
      : pool_(pool), audit_log_(pool, "patients.audit_events") {}

  absl::StatusOr<v1::Patient> Get(const std::string& id, Audit audit) override;
  absl::StatusOr<std::vector<SimilarPatient>> FindSimilar(
      const v1::Patient& patient, const std::string& exclude_id,
      Audit audit) override;
  absl::StatusOr<std::vector<std::string>> Existing(
      const std::vector<std::string>& ids) override;
  absl::StatusOr<v1::Patient> OptOutOfReminders(const std::string& id,
                                                Audit audit) override;
  absl::StatusOr<ListResult> List(const ListQuery& query, Audit audit) override;
  absl::StatusOr<v1::Patient> Create(const v1::Patient& patient,
                                     const RequestKey& key,
                                     Audit audit) override;
  absl::StatusOr<v1::Patient> Update(const std::string& id,
                                     const v1::Patient& patient,
                                     Audit audit) override;
  absl::StatusOr<FindOrCreateResult> FindOrCreate(const v1::Patient& patient,
                                                  const RequestKey& key,
                                                  Audit audit) override;
  absl::StatusOr<v1::Patient> Archive(const std::string& id,
                                      const std::string& etag,
                                      Audit audit) override;
  absl::Status RecordFailure(const audit::AuditContext& audit,
                             const std::string& resource,
                             const std::string& outcome) override;
  absl::StatusOr<audit::v1::ListAuditEventsResponse> ListAuditEvents(
      const audit::v1::ListAuditEventsRequest& request) override;

 private:
  // Records a successful call inside `w`, if `audit` is set.
  void RecordOk(pqxx::work& w, Audit audit, const std::string& resource,
                const std::vector<std::string>& resources = {}) const;

  db::Pool* pool_;
  audit::AuditLog audit_log_;
};

// Applies migrations/ to the database at `conninfo`.
absl::Status MigratePatients(const std::string& conninfo);

}  // namespace clinic::patients

#endif  // CLINIC_SERVICES_PATIENTS_PG_STORE_H_
