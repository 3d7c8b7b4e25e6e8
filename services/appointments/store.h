// Storage of scheduling data. Records are the contract's messages; callers
// pass them validated and normalized (see validation.h). Ids are the bare
// UUIDs; therapists and patients are full names ("staff/{uuid}").
#ifndef CLINIC_SERVICES_APPOINTMENTS_STORE_H_
#define CLINIC_SERVICES_APPOINTMENTS_STORE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/appointments/v1/appointments.pb.h"
#include "services/appointments/slots/slots.h"
#include "services/appointments/state_machine.h"
#include "services/common/db/request_key.h"

namespace clinic::appointments {

// Retryable changes are recorded by db::RequestKey (see request_key.h).
using db::RequestKey;

// A page of a list ordered by some key; `after` and `next` are that key's
// parts as text (see page_token.h).
struct Page {
  int size = 50;
  std::vector<std::string> after;  // empty: first page
};

template <typename T>
struct PageOf {
  std::vector<T> items;
  std::vector<std::string> next;  // empty on the last page
};

// A therapist's schedule as stored.
struct ScheduleRecord {
  std::string therapist;          // "staff/{uuid}"
  v1::ProviderSchedule schedule;  // with name and etag ("" if never saved)
  // Known credentials, or nullopt.
  std::optional<std::vector<std::string>> credentials;
};

// What BookAppointment / HoldSlot / RescheduleAppointment claim: a
// therapist's time. Validated by the service (hours, grid, type).
struct Claim {
  std::string therapist;
  std::string location_id;
  std::string type_id;
  absl::Time start;
  absl::Time end;
  absl::Duration buffer_before;
  absl::Duration buffer_after;
  // The location's zone, for messages naming the slot.
  absl::TimeZone zone;
  // The present (the service's clock): holds expiring at or before it are
  // ignored.
  absl::Time now;
};

struct NewAppointment {
  Claim claim;
  std::string patient;
  v1::AppointmentSource source = v1::APPOINTMENT_SOURCE_UNSPECIFIED;
  std::string notes;
  std::string creator;
  std::string hold_id;  // empty: booked directly
};

struct AppointmentQuery {
  std::vector<std::string> location_ids;   // empty: any
  std::string therapist;                   // empty: any
  std::string patient;                     // empty: any
  std::optional<absl::Time> start_from;    // start_time >= this
  std::optional<absl::Time> start_before;  // start_time < this
  bool show_cancelled = false;
  bool only_active = false;
  Page page;  // key: start micros, id
};

struct WaitlistQuery {
  std::string location_id;  // empty: any
  std::string type_id;      // empty: any
  // Only entries this slot suits.
  struct SlotFilter {
    std::string therapist;
    std::string location_id;
    std::string type_id;
    absl::CivilDay local_day;
    v1::TimeOfDayPreference time_of_day;
  };
  std::optional<SlotFilter> slot;
  Page page;  // key: priority, create micros, id
};

class SchedulingStore {
 public:
  virtual ~SchedulingStore() = default;

  // Locations. NOT_FOUND if missing; Update: ABORTED if the etag is stale.
  virtual absl::StatusOr<v1::Location> GetLocation(const std::string& id) = 0;
  virtual absl::StatusOr<PageOf<v1::Location>> ListLocations(
      const Page& page) = 0;
  virtual absl::StatusOr<v1::Location> CreateLocation(
      const v1::Location& location, const RequestKey& key) = 0;
  virtual absl::StatusOr<v1::Location> UpdateLocation(
      const std::string& id, const v1::Location& location) = 0;

  // Appointment types, likewise.
  virtual absl::StatusOr<v1::AppointmentType> GetType(
      const std::string& id) = 0;
  virtual absl::StatusOr<PageOf<v1::AppointmentType>> ListTypes(
      const Page& page, bool show_inactive) = 0;
  virtual absl::StatusOr<v1::AppointmentType> CreateType(
      const v1::AppointmentType& type, const RequestKey& key) = 0;
  virtual absl::StatusOr<v1::AppointmentType> UpdateType(
      const std::string& id, const v1::AppointmentType& type) = 0;

  // Schedules. Get returns an empty schedule (etag "") if none was saved.
  virtual absl::StatusOr<ScheduleRecord> GetSchedule(
      const std::string& therapist) = 0;
  // Schedules whose hours mention any of the locations.
  virtual absl::StatusOr<std::vector<ScheduleRecord>> ListSchedulesAt(
      const std::vector<std::string>& location_ids) = 0;
  // Saves `schedule` if its etag is current ("" when none exists yet):
  // ABORTED otherwise. `location_ids`: the locations it mentions.
  virtual absl::StatusOr<v1::ProviderSchedule> SaveSchedule(
      const std::string& therapist, const v1::ProviderSchedule& schedule,
      const std::vector<std::string>& location_ids) = 0;
  // Records the therapist's credentials (nullopt: unknown).
  virtual absl::Status SetCredentials(
      const std::string& therapist,
      const std::optional<std::vector<std::string>>& credentials) = 0;

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
                                               const RequestKey& key) = 0;

  virtual absl::StatusOr<v1::Appointment> GetAppointment(
      const std::string& id) = 0;
  virtual absl::StatusOr<PageOf<v1::Appointment>> ListAppointments(
      const AppointmentQuery& query) = 0;

  // Moves the appointment to `claim` in one transaction, if its state
  // allows and (when set) `etag` is current; ALREADY_EXISTS if the new time
  // is taken, and then nothing changes.
  virtual absl::StatusOr<v1::Appointment> Reschedule(const std::string& id,
                                                     const Claim& claim,
                                                     const std::string& etag,
                                                     const RequestKey& key) = 0;

  // Applies `verb` under the row's lock: checks `etag` (if set), runs
  // `check` on the current appointment (e.g. "only after start"), applies
  // the state machine; `reason` is stored for cancel.
  virtual absl::StatusOr<v1::Appointment> ChangeState(
      const std::string& id, Verb verb, const std::string& etag,
      const std::string& reason,
      absl::FunctionRef<absl::Status(const v1::Appointment&)> check) = 0;

  // Waitlist.
  virtual absl::StatusOr<v1::WaitlistEntry> CreateWaitlistEntry(
      const v1::WaitlistEntry& entry, const RequestKey& key) = 0;
  virtual absl::StatusOr<PageOf<v1::WaitlistEntry>> ListWaitlistEntries(
      const WaitlistQuery& query) = 0;
  virtual absl::Status DeleteWaitlistEntry(const std::string& id) = 0;
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_STORE_H_
