// Availability search (FindAvailableSlots) as pure functions: no I/O, no
// clock. The handler loads what these need from the stores and passes it
// in: the request, the appointment type, the locations with their zones,
// the therapists' schedules and busy time, and the present.
#ifndef CLINIC_SERVICES_APPOINTMENTS_AVAILABILITY_H_
#define CLINIC_SERVICES_APPOINTMENTS_AVAILABILITY_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clinic/appointments/v1/appointments.pb.h"
#include "clinic/appointments/v1/appointments_service.pb.h"
#include "services/appointments/slots/slots.h"
#include "services/appointments/store.h"

namespace clinic::appointments {

// max_slots when the request leaves it 0, and its cap.
inline constexpr int kDefaultMaxSlots = 500;
inline constexpr int kMaxSlots = 2000;
// At most this many locations per search.
inline constexpr int kMaxLocations = 20;

// A validated FindAvailableSlotsRequest.
struct SlotSearch {
  std::string type_id;                    // bare uuid
  std::vector<std::string> location_ids;  // bare uuids, deduplicated, in order
  std::string therapist;                  // "staff/{uuid}"; empty: any
  absl::CivilDay first_day;               // local dates, inclusive
  absl::CivilDay last_day;
  int max_slots = kDefaultMaxSlots;  // defaulted and capped
};

// Parses and checks `request`; INVALID_ARGUMENT naming every invalid field
// at once (appointment_type, locations, locations[i], therapist,
// start_date, end_date, max_slots).
absl::StatusOr<SlotSearch> ParseSlotSearch(
    const v1::FindAvailableSlotsRequest& request);

// FAILED_PRECONDITION if `type` cannot be searched: retired, or (for an
// online, anonymous caller) not bookable online.
absl::Status CheckSearchableType(const v1::AppointmentType& type, bool online);

// A location searched, with its loaded zone.
struct SearchLocation {
  std::string name;  // "locations/{uuid}"
  v1::Location location;
  absl::TimeZone zone;
};

// The instants whose busy time can matter for the search: from the first
// day's local midnight to the end of the last day, over every location's
// zone, widened by 26 hours on each side for buffers.
slots::Interval BusyWindow(const std::vector<SearchLocation>& locations,
                           absl::CivilDay first_day, absl::CivilDay last_day);

// The therapists of `schedules` whose credentials allow `type` (see
// CredentialsAllow), in the schedules' order.
std::vector<std::string> EligibleTherapists(
    const v1::AppointmentType& type,
    const std::vector<ScheduleRecord>& schedules);

// Each therapist's busy time (BookingStore::BusyIntervals).
using BusyMap = std::map<std::string, std::vector<slots::Interval>>;

// The open slots of `type` on search.first_day..last_day: for every
// eligible therapist at every location their schedule mentions, the starts
// slots::OpenStarts offers given their busy time, not before `now`; for an
// online caller also not before the type's min_notice nor at or after its
// max_days_ahead. Sorted by start, then therapist, then location; at most
// search.max_slots.
std::vector<v1::Slot> OpenSlots(const SlotSearch& search,
                                const v1::AppointmentType& type,
                                const std::vector<SearchLocation>& locations,
                                const std::vector<ScheduleRecord>& schedules,
                                const BusyMap& busy, absl::Time now,
                                bool online);

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_AVAILABILITY_H_
