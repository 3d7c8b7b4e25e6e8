// ContactStore on PostgreSQL (schema "screenings").
#ifndef CLINIC_SERVICES_SCREENINGS_PG_STORE_H_
#define CLINIC_SERVICES_SCREENINGS_PG_STORE_H_

#include <string>
#include <vector>

#include "services/common/audit/audit.h"
#include "services/common/db/pool.h"
#include "services/screenings/store.h"

namespace clinic::screenings {

inline constexpr char kSchema[] = "screenings";

class PgContactStore : public ContactStore {
 public:
  // `pool` must outlive the store.
  explicit PgContactStore(db::Pool* pool)
      : pool_(pool), audit_log_(pool, "screenings.audit_events") {}

  absl::StatusOr<v1::ContactRequest> Create(const v1::ContactRequest& request,
                                            const RequestKey& key,
                                            Audit audit) override;
  absl::StatusOr<v1::ContactRequest> Get(const std::string& id,
                                         Audit audit) override;
  absl::StatusOr<ContactPage> List(const ContactQuery& query,
                                   Audit audit) override;
  absl::StatusOr<v1::ContactRequest> RecordAttempt(const NewAttempt& attempt,
                                                   const RequestKey& key,
                                                   Audit audit) override;
  absl::StatusOr<v1::Screening> CreateScreening(const v1::Screening& screening,
                                                const PatientContacts& contacts,
                                                const RequestKey& key,
                                                Audit audit) override;
  absl::StatusOr<v1::Screening> GetScreening(const std::string& id,
                                             Audit audit) override;
  absl::StatusOr<std::vector<v1::Screening>> ListScreenings(
      const std::string& patient, Audit audit) override;
  absl::StatusOr<v1::Screening> UpdateScreening(const ScreeningChange& change,
                                                Audit audit) override;
  absl::StatusOr<v1::Screening> CompleteScreening(
      const std::string& id, const std::string& etag,
      v1::ScreeningOutcome outcome,
      const std::function<absl::Status(const v1::Screening&)>& check,
      Audit audit) override;
  absl::StatusOr<v1::Screening> AddAddendum(const std::string& id,
                                            const std::string& staff,
                                            const std::string& text,
                                            Audit audit) override;
  absl::StatusOr<Conversion> Convert(const std::string& id,
                                     const std::string& appointment,
                                     const RequestKey& key,
                                     Audit audit) override;
  absl::StatusOr<std::vector<v1::FunnelRow>> Funnel(absl::Time from,
                                                    absl::Time to) override;
  absl::Status RecordFailure(const audit::AuditContext& audit,
                             const std::string& resource,
                             const std::string& outcome) override;

 private:
  void RecordOk(pqxx::work& w, Audit audit, const std::string& resource,
                const std::vector<std::string>& resources = {}) const;

  db::Pool* pool_;
  audit::AuditLog audit_log_;
};

// Applies migrations/ (and the kit's audit table) to `conninfo`.
absl::Status MigrateScreenings(const std::string& conninfo);

}  // namespace clinic::screenings

#endif  // CLINIC_SERVICES_SCREENINGS_PG_STORE_H_
