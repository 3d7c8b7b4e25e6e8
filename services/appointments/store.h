// The types storage of scheduling data speaks in, shared by the two store
// interfaces: catalog_store.h (locations, appointment types, schedules) and
// booking_store.h (holds, appointments, the waitlist). Records are the
// contract's messages; callers pass them validated and normalized (see
// validation.h). Ids are the bare UUIDs; therapists and patients are full
// names ("staff/{uuid}").
#ifndef CLINIC_SERVICES_APPOINTMENTS_STORE_H_
#define CLINIC_SERVICES_APPOINTMENTS_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clinic/appointments/v1/appointments.pb.h"
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

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_STORE_H_
