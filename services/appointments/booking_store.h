// Storage of bookings: therapists' busy time, holds, appointments and their
// lifecycle, the waitlist. Types: store.h.
#ifndef CLINIC_SERVICES_APPOINTMENTS_BOOKING_STORE_H_
#define CLINIC_SERVICES_APPOINTMENTS_BOOKING_STORE_H_

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/appointments/v1/appointments.pb.h"
#include "clinic/appointments/v1/appointments_service.pb.h"
#include "services/appointments/slots/slots.h"
#include "services/appointments/state_machine.h"
#include "services/appointments/store.h"
#include "services/common/audit/audit.h"

namespace clinic::appointments {

// Calls that read or change a patient's appointments or waitlist entries
// take the audit context of the call: when set, the store records one
// audit event (outcome "OK"; the appointment or entry as the resource, the
// patients concerned as resources) in the same transaction. Null is for the
// service's own reads.
using Audit = const audit::AuditContext*;

class BookingStore {
 public:
  virtual ~BookingStore() = default;

  // Busy time of each therapist overlapping [from, to): active
  // appointments' buffered ranges and holds live at `now`.
  virtual absl::StatusOr<std::map<std::string, std::vector<slots::Interval>>>
  BusyIntervals(const std::vector<std::string>& therapists, absl::Time from,
                absl::Time to, absl::Time now) = 0;

  // Holds the claimed time until `expire_time`; ALREADY_EXISTS naming the
  // slot if it is taken or held.
  virtual absl::StatusOr<v1::Hold> Hold(const Claim& claim,
                                        absl::Time expire_time,
                                        const RequestKey& key) = 0;

  // Books; ALREADY_EXISTS naming the slot if the therapist's time (with
  // buffers) or the patient's is taken, or the time is held by another
  // hold. With hold_id the hold must be live and for the same slot
  // (FAILED_PRECONDITION otherwise); it is used up.
  virtual absl::StatusOr<v1::Appointment> Book(const NewAppointment& a,
                                               const RequestKey& key,
                                               Audit audit = nullptr) = 0;

  virtual absl::StatusOr<v1::Appointment> GetAppointment(
      const std::string& id, Audit audit = nullptr) = 0;
  virtual absl::StatusOr<PageOf<v1::Appointment>> ListAppointments(
      const AppointmentQuery& query, Audit audit = nullptr) = 0;

  // Moves the appointment to `claim` in one transaction, if its state
  // allows and (when set) `etag` is current; ALREADY_EXISTS if the new time
  // is taken, and then nothing changes.
  virtual absl::StatusOr<v1::Appointment> Reschedule(const std::string& id,
                                                     const Claim& claim,
                                                     const std::string& etag,
                                                     const RequestKey& key,
                                                     Audit audit = nullptr) = 0;

  // Applies `verb` under the row's lock: checks `etag` (if set), runs
  // `check` on the current appointment (e.g. "only after start"), applies
  // the state machine; `reason` is stored for cancel.
  virtual absl::StatusOr<v1::Appointment> ChangeState(
      const std::string& id, Verb verb, const std::string& etag,
      const std::string& reason,
      absl::FunctionRef<absl::Status(const v1::Appointment&)> check,
      Audit audit = nullptr) = 0;

  // Undoes a check-in or no-show under the row's lock: checks `etag` (if
  // set), FAILED_PRECONDITION unless CHECKED_IN or NO_SHOW, runs `check`,
  // returns the appointment to the state before (booked or confirmed) and
  // records the undo (staff, now, reason). ALREADY_EXISTS if undoing a
  // no-show would take a time booked since.
  virtual absl::StatusOr<v1::Appointment> UndoState(
      const std::string& id, const std::string& etag, const std::string& staff,
      const std::string& reason,
      absl::FunctionRef<absl::Status(const v1::Appointment&)> check,
      Audit audit = nullptr) = 0;

  // Waitlist.
  virtual absl::StatusOr<v1::WaitlistEntry> CreateWaitlistEntry(
      const v1::WaitlistEntry& entry, const RequestKey& key,
      Audit audit = nullptr) = 0;
  virtual absl::StatusOr<PageOf<v1::WaitlistEntry>> ListWaitlistEntries(
      const WaitlistQuery& query, Audit audit = nullptr) = 0;
  virtual absl::Status DeleteWaitlistEntry(const std::string& id,
                                           Audit audit = nullptr) = 0;

  // Waitlist offers (migrations/0006_waitlist_offers.sql). A cancellation
  // (ChangeState with kCancel) records the freed time in its transaction;
  // AdvanceOffers then offers each open freed time to the best-matching
  // entry not yet offered it (priority, then age; not the patient who
  // cancelled, not one holding another live offer, not one busy then),
  // holding the time for them until min(now + hold, start - min_notice)
  // (the hold counted from the morning when made at night),
  // and writes the WAITLIST_OFFERED event with the offer, all in one
  // transaction. A live offer past its expiry is marked LAPSED first and
  // the next entry offered. A freed time is closed when it is taken by
  // anyone, no entry is left, or its start is nearer than `min_notice` +
  // 10 minutes. Returns how many offers it made.
  struct OfferPolicy {
    absl::Duration hold = absl::Hours(2);
    absl::Duration min_notice = absl::Hours(1);
    // A hold does not run through the location's night: an offer made in
    // [night_from, night_to) local hours is held from night_to on.
    int night_from = 21, night_to = 8;
    // The SHA-256 of the link token of an offer id (the service's key).
    std::function<std::string(const std::string& offer_id)> token_hash;
  };
  virtual absl::StatusOr<int> AdvanceOffers(const OfferPolicy& policy,
                                            absl::Time now) = 0;
  // The offer a token's hash opens (NOT_FOUND for none).
  virtual absl::StatusOr<v1::WaitlistOffer> FindOffer(
      const std::string& token_hash) = 0;
  // Takes the offer under its row's lock: books its held time for its
  // patient (source WAITLIST_OFFER), removes the waitlist entry, closes the
  // freed time, in one transaction; a taken offer answers its appointment.
  // NOT_FOUND for no offer; FAILED_PRECONDITION (OFFER_LAPSED) after its
  // expiry.
  virtual absl::StatusOr<v1::Appointment> AcceptOffer(
      const std::string& token_hash, absl::Time now, Audit audit = nullptr) = 0;
  struct OfferQuery {
    std::string location_id, entry_id, patient;  // one at least
    int limit = 50;
  };
  virtual absl::StatusOr<std::vector<v1::WaitlistOffer>> ListOffers(
      const OfferQuery& query, Audit audit = nullptr) = 0;

  // The outbox (migrations/0005_events.sql): events after `after` ("" or a
  // cursor from this method), in transaction id order, at most `limit`; the
  // cursor after the last one (or `after`). INVALID_ARGUMENT for a malformed
  // cursor.
  virtual absl::StatusOr<
      std::pair<std::vector<v1::AppointmentEvent>, std::string>>
  Events(const std::string& after, int limit) = 0;

  // The audit trail: one event for a failed call, and the events newest
  // first (audit::AuditLog::List).
  virtual absl::Status RecordFailure(const audit::AuditContext& audit,
                                     const std::string& resource,
                                     const std::string& outcome) = 0;
  virtual absl::StatusOr<audit::v1::ListAuditEventsResponse> ListAuditEvents(
      const audit::v1::ListAuditEventsRequest& request) = 0;

  // Manage links: records the SHA-256 of a token for the appointment (again
  // is a no-op), and finds the appointment id a hash opens at `now`
  // (NOT_FOUND for none or expired).
  virtual absl::Status SaveManageToken(const std::string& token_hash,
                                       const std::string& appointment_id,
                                       absl::Time expire_time) = 0;
  virtual absl::StatusOr<std::string> FindManageToken(
      const std::string& token_hash, absl::Time now) = 0;
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_BOOKING_STORE_H_
