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
  explicit PgPatientStore(db::Pool* pool) : pool_(pool) {}

  absl::StatusOr<v1::Patient> Get(const std::string& id) override;
  absl::StatusOr<ListResult> List(const ListQuery& query) override;
  absl::StatusOr<v1::Patient> Create(const v1::Patient& patient,
                                     const RequestKey& key) override;
  absl::StatusOr<v1::Patient> Update(const std::string& id,
                                     const v1::Patient& patient) override;
  absl::StatusOr<FindOrCreateResult> FindOrCreate(
      const v1::Patient& patient, const RequestKey& key) override;
  absl::StatusOr<v1::Patient> Archive(const std::string& id,
                                      const std::string& etag) override;

 private:
  db::Pool* pool_;
};

// Applies migrations/ to the database at `conninfo`.
absl::Status MigratePatients(const std::string& conninfo);

}  // namespace clinic::patients

#endif  // CLINIC_SERVICES_PATIENTS_PG_STORE_H_
