// What a plan's visits say: counts against the plan, and the alerts of due
// tracking. Pure (the clock is a parameter), so every rule is tested with
// an injected time.
#ifndef CLINIC_SERVICES_THERAPY_PLANS_VISITS_H_
#define CLINIC_SERVICES_THERAPY_PLANS_VISITS_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clinic/therapy_plans/v1/therapy_plans.pb.h"

namespace clinic::therapy_plans {

// One appointment of the plan's patient with its therapist.
struct Visit {
  enum State { kBooked, kCompleted, kNoShow, kCancelled };
  absl::Time start;
  absl::CivilDay local_day;  // in the location's zone
  std::string local_start;   // "2026-12-02T09:00"
  std::string time_zone;
  std::string therapist;  // "staff/{member}"
  State state = kBooked;  // booked, confirmed or checked in: kBooked
};

// The plan's last day: start + duration_weeks weeks - 1.
absl::CivilDay PlanEnd(const v1::TherapyPlan& plan);
// The certification period (default: the start and 90 days later).
absl::CivilDay CertificationStart(const v1::TherapyPlan& plan);
absl::CivilDay CertificationEnd(const v1::TherapyPlan& plan);

absl::CivilDay ToDay(const google::type::Date& d);
google::type::Date ToDate(absl::CivilDay d);

// The visits that belong to the plan: from its start to the end of its
// certification period (local days).
std::vector<Visit> PlanVisits(const v1::TherapyPlan& plan,
                              const std::vector<Visit>& visits);

// Counts `visits` (the plan's, any order) at `now`.
v1::VisitCounts CountVisits(const v1::TherapyPlan& plan,
                            const std::vector<Visit>& visits, absl::Time now);

// The alerts of an active (or on hold) plan at `today` (the therapist's
// local day) and `now`, most urgent first:
// - progress note due: 10 completed visits, or 30 days, since the last note
//   (a goal progress entry counts as one; before any, the plan's start);
//   "due soon" from 8 visits or 25 days;
// - re-evaluation due: the certification period ends within 14 days (or
//   has ended);
// - plan expiring: its last day is within 14 days;
// - authorization low: 2 or fewer authorized visits left;
// - no future visit: an active plan with nothing booked ahead;
// - no-shows: the last two or more past visits were no-shows.
std::vector<v1::Alert> Alerts(const v1::TherapyPlan& plan,
                              const std::vector<Visit>& visits,
                              const v1::VisitCounts& counts, absl::Time now,
                              absl::CivilDay today);

}  // namespace clinic::therapy_plans

#endif  // CLINIC_SERVICES_THERAPY_PLANS_VISITS_H_
