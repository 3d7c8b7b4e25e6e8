// Placing a plan's visit series on open times. Pure: the open starts come
// from the appointments service (FindAvailableSlots), the visits already
// booked from its list; nothing here reads a clock or a database.
#ifndef CLINIC_SERVICES_THERAPY_PLANS_SERIES_H_
#define CLINIC_SERVICES_THERAPY_PLANS_SERIES_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace clinic::therapy_plans {

// An open start of the therapist at the location.
struct OpenStart {
  absl::Time start;
  absl::CivilDay day;       // local
  int minute_of_day = 0;    // local
  std::string local_start;  // "2026-12-02T09:00"
};

struct SeriesAsk {
  absl::CivilDay plan_start;  // weeks are counted from it
  int duration_weeks = 0;
  int visits_per_week = 0;
  absl::CivilDay first_day;  // nothing before it
  absl::CivilDay last_day;   // nothing after it (plan end, certification)
  std::vector<absl::Weekday> weekdays;  // preferred, in order of preference
  int minute_of_day = 0;                // preferred local time
  // Visits already booked per day (they count towards their week, and no
  // second visit goes on their day).
  std::vector<absl::CivilDay> booked_days;
  // At most this many new visits (authorized visits left); -1: no limit.
  int max_visits = -1;
};

struct SeriesPick {
  OpenStart at;
  bool preferred = false;
};

struct SeriesGapInfo {
  absl::CivilDay week_start;
  int missing = 0;
  std::string reason;
};

struct SeriesPlan {
  std::vector<SeriesPick> visits;  // by start
  std::vector<SeriesGapInfo> gaps;
};

// Per plan week overlapping [first_day, last_day]: the visits it still
// needs (visits_per_week minus those booked), on the preferred weekdays at
// the preferred time where open, else at the open start nearest to a
// preferred day and time in the same week (one visit per day).
SeriesPlan PlanSeries(const SeriesAsk& ask, const std::vector<OpenStart>& open);

}  // namespace clinic::therapy_plans

#endif  // CLINIC_SERVICES_THERAPY_PLANS_SERIES_H_
