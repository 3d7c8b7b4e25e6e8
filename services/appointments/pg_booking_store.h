// BookingStore on PostgreSQL (schema "appointments", see pg_schema.h). How
// the database guarantees no double booking, holds included:
// migrations/0001_init.sql.
#ifndef CLINIC_SERVICES_APPOINTMENTS_PG_BOOKING_STORE_H_
#define CLINIC_SERVICES_APPOINTMENTS_PG_BOOKING_STORE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/appointments/v1/appointments.pb.h"
#include "services/appointments/booking_store.h"
#include "services/appointments/slots/slots.h"
#include "services/appointments/state_machine.h"
#include "services/appointments/store.h"
#include "services/common/db/pool.h"

namespace clinic::appointments {

class PgBookingStore : public BookingStore {
 public:
  // `pool` must outlive the store.
  explicit PgBookingStore(db::Pool* pool)
      : pool_(pool), audit_log_(pool, "appointments.audit_events") {}

  absl::StatusOr<std::map<std::string, std::vector<slots::Interval>>>
  BusyIntervals(const std::vector<std::string>& therapists, absl::Time from,
                absl::Time to, absl::Time now) override;

  absl::StatusOr<v1::Hold> Hold(const Claim& claim, absl::Time expire_time,
                                const RequestKey& key) override;
  absl::StatusOr<v1::Appointment> Book(const NewAppointment& a,
                                       const RequestKey& key,
                                       Audit audit = nullptr) override;
  absl::StatusOr<v1::Appointment> GetAppointment(
      const std::string& id, Audit audit = nullptr) override;
  absl::StatusOr<PageOf<v1::Appointment>> ListAppointments(
      const AppointmentQuery& query, Audit audit = nullptr) override;
  absl::StatusOr<v1::Appointment> Reschedule(const std::string& id,
                                             const Claim& claim,
                                             const std::string& etag,
                                             const RequestKey& key,
                                             Audit audit = nullptr) override;
  absl::StatusOr<v1::Appointment> ChangeState(
      const std::string& id, Verb verb, const std::string& etag,
      const std::string& reason,
      absl::FunctionRef<absl::Status(const v1::Appointment&)> check,
      Audit audit = nullptr) override;
  absl::StatusOr<v1::Appointment> UndoState(
      const std::string& id, const std::string& etag, const std::string& staff,
      const std::string& reason,
      absl::FunctionRef<absl::Status(const v1::Appointment&)> check,
      Audit audit = nullptr) override;

  absl::StatusOr<v1::WaitlistEntry> CreateWaitlistEntry(
      const v1::WaitlistEntry& entry, const RequestKey& key,
      Audit audit = nullptr) override;
  absl::StatusOr<PageOf<v1::WaitlistEntry>> ListWaitlistEntries(
      const WaitlistQuery& query, Audit audit = nullptr) override;
  absl::Status DeleteWaitlistEntry(const std::string& id,
                                   Audit audit = nullptr) override;
  absl::StatusOr<int> AdvanceOffers(const OfferPolicy& policy,
                                    absl::Time now) override;
  absl::StatusOr<v1::WaitlistOffer> FindOffer(
      const std::string& token_hash) override;
  absl::StatusOr<v1::Appointment> AcceptOffer(const std::string& token_hash,
                                              absl::Time now,
                                              Audit audit = nullptr) override;
  absl::StatusOr<std::vector<v1::WaitlistOffer>> ListOffers(
      const OfferQuery& query, Audit audit = nullptr) override;
  absl::StatusOr<std::pair<std::vector<v1::AppointmentEvent>, std::string>>
  Events(const std::string& after, int limit) override;
  absl::Status RecordFailure(const audit::AuditContext& audit,
                             const std::string& resource,
                             const std::string& outcome) override;
  absl::StatusOr<audit::v1::ListAuditEventsResponse> ListAuditEvents(
      const audit::v1::ListAuditEventsRequest& request) override;
  absl::Status SaveManageToken(const std::string& token_hash,
                               const std::string& appointment_id,
                               absl::Time expire_time) override;
  absl::StatusOr<std::string> FindManageToken(const std::string& token_hash,
                                              absl::Time now) override;

 private:
  // After an exclusion violation that no check inside the transaction
  // caught (a race on the patient), the ALREADY_EXISTS naming the slot.
  absl::Status DescribeConflict(const Claim& claim, const std::string& patient,
                                const std::string& self_id,
                                const absl::Status& original);

  // One audit event in `w` when `audit` is set.
  void RecordOk(pqxx::work& w, Audit audit, const std::string& resource,
                const std::vector<std::string>& resources) const;

  db::Pool* pool_;
  audit::AuditLog audit_log_;
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_PG_BOOKING_STORE_H_
