// StaffStore on PostgreSQL (schema "staff").
#ifndef CLINIC_SERVICES_STAFF_PG_STORE_H_
#define CLINIC_SERVICES_STAFF_PG_STORE_H_

#include <string>
#include <vector>

#include "services/common/db/pool.h"
#include "services/staff/store.h"

namespace clinic::staff {

// The schema the service owns; migrations/ create everything inside it.
inline constexpr char kSchema[] = "staff";

class PgStaffStore : public StaffStore {
 public:
  // `pool` must outlive the store.
  explicit PgStaffStore(db::Pool* pool) : pool_(pool) {}

  absl::StatusOr<v1::StaffMember> Get(const std::string& id) override;
  absl::StatusOr<MemberCredentials> GetCredentials(
      const std::string& id) override;
  absl::StatusOr<std::optional<MemberCredentials>> FindByEmail(
      const std::string& email) override;
  absl::StatusOr<ListResult> List(const ListQuery& query) override;
  absl::StatusOr<CreateResult> Create(const v1::StaffMember& member,
                                      const std::string& password_hash,
                                      const RequestKey& key) override;
  absl::StatusOr<v1::StaffMember> CreateFirstAdmin(
      const v1::StaffMember& member, const std::string& password_hash) override;
  absl::StatusOr<v1::StaffMember> Update(const std::string& id,
                                         const v1::StaffMember& member,
                                         absl::Time now) override;
  absl::StatusOr<v1::StaffMember> Deactivate(const std::string& id,
                                             absl::Time now) override;
  absl::Status SetPassword(const std::string& id,
                           const std::string& password_hash, EndReason reason,
                           absl::Time now) override;
  absl::Status RehashPassword(const std::string& id,
                              const std::string& old_hash,
                              const std::string& new_hash) override;

  absl::StatusOr<SessionRecord> CreateSession(
      const SessionRecord& session, const std::string& token_hash) override;
  absl::StatusOr<SessionWithMember> FindSession(
      const std::string& token_hash) override;
  absl::StatusOr<SessionRecord> GetSession(
      const std::string& member_id, const std::string& session_id) override;
  absl::Status TouchSession(const std::string& session_id,
                            absl::Time now) override;
  absl::Status EndSession(const std::string& session_id, EndReason reason,
                          absl::Time now) override;
  absl::StatusOr<std::vector<SessionRecord>> ListActiveSessions(
      const std::string& member_id, absl::Time now,
      absl::Time idle_since) override;

  absl::StatusOr<std::vector<int64_t>> AdmitLoginAttempt(
      const std::vector<ThrottleKey>& keys, absl::Time now) override;
  absl::Status ForgiveLoginAttempt(const std::vector<int64_t>& ids,
                                   const std::string& clear_key) override;

 private:
  db::Pool* pool_;
};

// Applies migrations/ to the database at `conninfo`.
absl::Status MigrateStaff(const std::string& conninfo);

}  // namespace clinic::staff

#endif  // CLINIC_SERVICES_STAFF_PG_STORE_H_
