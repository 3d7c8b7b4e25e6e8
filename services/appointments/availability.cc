#include "services/appointments/availability.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/appointments/rules.h"
#include "services/appointments/validation.h"
#include "services/common/status/errors.h"

namespace clinic::appointments {

absl::StatusOr<SlotSearch> ParseSlotSearch(
    const v1::FindAvailableSlotsRequest& req) {
  SlotSearch search;
  status::Violations v;
  absl::StatusOr<std::string> type_id =
      ParseId("appointment_type", req.appointment_type(), "appointmentTypes");
  if (v.Check(type_id.status())) search.type_id = *type_id;
  if (req.locations().empty()) {
    v.Add("locations", "at least one is required");
  } else if (req.locations_size() > kMaxLocations) {
    v.Add("locations", absl::StrCat("at most ", kMaxLocations));
  } else {
    for (int i = 0; i < req.locations_size(); ++i) {
      absl::StatusOr<std::string> id = ParseId(
          absl::StrCat("locations[", i, "]"), req.locations(i), "locations");
      if (!v.Check(id.status())) continue;
      if (std::find(search.location_ids.begin(), search.location_ids.end(),
                    *id) == search.location_ids.end()) {
        search.location_ids.push_back(*id);
      }
    }
  }
  if (!req.therapist().empty()) {
    absl::StatusOr<std::string> t =
        ParseTherapist("therapist", req.therapist());
    if (v.Check(t.status())) search.therapist = *t;
  }
  bool dates_valid = true;
  if (!req.has_start_date()) {
    v.Add("start_date", "is required");
    dates_valid = false;
  } else {
    dates_valid &= v.Check(ValidateDate("start_date", req.start_date()));
  }
  if (!req.has_end_date()) {
    v.Add("end_date", "is required");
    dates_valid = false;
  } else {
    dates_valid &= v.Check(ValidateDate("end_date", req.end_date()));
  }
  if (dates_valid) {
    search.first_day = ToCivilDay(req.start_date());
    search.last_day = ToCivilDay(req.end_date());
    if (search.last_day < search.first_day) {
      v.Add("end_date", "must not be before start_date");
    } else if (search.last_day - search.first_day > kMaxSearchDays) {
      v.Add("end_date", absl::StrCat("at most ", kMaxSearchDays,
                                     " days after start_date (asked for ",
                                     search.last_day - search.first_day, ")"));
    }
  }
  if (req.max_slots() < 0) {
    v.Add("max_slots", "must not be negative");
  } else if (req.max_slots() > 0) {
    search.max_slots = std::min(req.max_slots(), kMaxSlots);
  }
  if (!v.empty()) return v.ToStatus();
  return search;
}

absl::Status CheckSearchableType(const v1::AppointmentType& type, bool online) {
  if (!type.active()) {
    return absl::FailedPreconditionError(
        absl::StrCat("appointment_type: ", type.display_name(), " is retired"));
  }
  if (online && !type.bookable_online()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "appointment_type: ", type.display_name(), " cannot be booked online"));
  }
  return absl::OkStatus();
}

slots::Interval BusyWindow(const std::vector<SearchLocation>& locations,
                           absl::CivilDay first_day, absl::CivilDay last_day) {
  slots::Interval window{absl::InfiniteFuture(), absl::InfinitePast()};
  for (const SearchLocation& l : locations) {
    window.start = std::min(
        window.start, absl::FromCivil(absl::CivilSecond(first_day), l.zone));
    window.end = std::max(
        window.end, absl::FromCivil(absl::CivilSecond(last_day + 1), l.zone));
  }
  // Buffers reach beyond the days searched.
  window.start -= absl::Hours(26);
  window.end += absl::Hours(26);
  return window;
}

std::vector<std::string> EligibleTherapists(
    const v1::AppointmentType& type,
    const std::vector<ScheduleRecord>& schedules) {
  std::vector<std::string> therapists;
  for (const ScheduleRecord& s : schedules) {
    if (CredentialsAllow(type, s.credentials ? &*s.credentials : nullptr)) {
      therapists.push_back(s.therapist);
    }
  }
  return therapists;
}

std::vector<v1::Slot> OpenSlots(const SlotSearch& search,
                                const v1::AppointmentType& type,
                                const std::vector<SearchLocation>& locations,
                                const std::vector<ScheduleRecord>& schedules,
                                const BusyMap& busy, absl::Time now,
                                bool online) {
  struct Found {
    absl::Time start;
    const std::string* therapist;
    const SearchLocation* location;
  };
  std::vector<Found> found;
  for (const ScheduleRecord& s : schedules) {
    if (!CredentialsAllow(type, s.credentials ? &*s.credentials : nullptr)) {
      continue;
    }
    for (const SearchLocation& l : locations) {
      if (!WorksAt(s.schedule, l.name)) continue;
      slots::SlotRules rules =
          BuildRules(l.location, l.name, l.zone, type, s.schedule);
      if (auto it = busy.find(s.therapist); it != busy.end()) {
        rules.busy = it->second;
      }
      rules.not_before = now;
      if (online) {
        rules.not_before = now + FromProtoDuration(type.min_notice());
        rules.not_after = now + absl::Hours(24) * type.max_days_ahead();
      }
      for (absl::Time t : slots::OpenStarts(
               rules, search.first_day, search.last_day, search.max_slots)) {
        found.push_back({t, &s.therapist, &l});
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::tie(a.start, *a.therapist, a.location->name) <
           std::tie(b.start, *b.therapist, b.location->name);
  });
  if (static_cast<int>(found.size()) > search.max_slots) {
    found.resize(search.max_slots);
  }
  const absl::Duration duration = FromProtoDuration(type.duration());
  std::vector<v1::Slot> out;
  out.reserve(found.size());
  for (const Found& f : found) {
    v1::Slot& slot = out.emplace_back();
    slot.set_therapist(*f.therapist);
    slot.set_location(f.location->name);
    slot.set_appointment_type(type.name());
    *slot.mutable_start_time() = ToProto(f.start);
    *slot.mutable_end_time() = ToProto(f.start + duration);
    slot.set_local_start(LocalStart(f.start, f.location->zone));
    slot.set_time_zone(f.location->location.time_zone());
  }
  return out;
}

}  // namespace clinic::appointments
