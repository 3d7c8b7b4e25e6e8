#include "services/therapy_plans/series.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <set>

#include "absl/strings/str_cat.h"

namespace clinic::therapy_plans {

SeriesPlan PlanSeries(const SeriesAsk& ask,
                      const std::vector<OpenStart>& open) {
  SeriesPlan out;
  const std::set<absl::CivilDay> booked(ask.booked_days.begin(),
                                        ask.booked_days.end());
  int budget =
      ask.max_visits < 0 ? std::numeric_limits<int>::max() : ask.max_visits;
  for (int w = 0; w < ask.duration_weeks; ++w) {
    const absl::CivilDay week_start = ask.plan_start + 7 * w;
    const absl::CivilDay week_end = week_start + 6;
    if (week_end < ask.first_day || week_start > ask.last_day) continue;
    const absl::CivilDay from = std::max(week_start, ask.first_day);
    const absl::CivilDay to = std::min(week_end, ask.last_day);
    int have = 0;
    for (const absl::CivilDay d : booked) {
      if (d >= week_start && d <= week_end) ++have;
    }
    int need = std::max(0, ask.visits_per_week - have);
    if (need == 0) continue;
    std::set<absl::CivilDay> used;
    for (const absl::CivilDay d : booked) used.insert(d);
    std::vector<const OpenStart*> week;
    for (const OpenStart& o : open) {
      if (o.day >= from && o.day <= to) week.push_back(&o);
    }
    // The preferred day and time of each wanted visit; beyond the listed
    // weekdays, the first one again (the nearest free day wins).
    std::vector<std::pair<absl::CivilDay, int>> wants;
    for (size_t i = 0; i < static_cast<size_t>(ask.visits_per_week); ++i) {
      const absl::Weekday wd = ask.weekdays.empty()
                                   ? absl::GetWeekday(week_start)
                                   : ask.weekdays[i % ask.weekdays.size()];
      absl::CivilDay d = week_start;
      while (absl::GetWeekday(d) != wd) ++d;
      wants.push_back({d, ask.minute_of_day});
    }
    int placed = 0;
    std::string reason;
    for (const auto& [day, minute] : wants) {
      if (placed >= need) break;
      if (budget <= 0) {
        reason = "the authorized visits are used up";
        break;
      }
      const OpenStart* best = nullptr;
      bool preferred = false;
      long best_cost = std::numeric_limits<long>::max();
      for (const OpenStart* o : week) {
        if (used.count(o->day) > 0) continue;
        const long cost = std::labs(static_cast<long>(o->day - day)) * 1440 +
                          std::abs(o->minute_of_day - minute);
        if (cost < best_cost) {
          best_cost = cost;
          best = o;
          preferred = cost == 0;
        }
      }
      if (best == nullptr) {
        reason = "the therapist has no other open time that week";
        break;
      }
      used.insert(best->day);
      out.visits.push_back({*best, preferred});
      ++placed;
      --budget;
    }
    if (placed < need) {
      if (reason.empty()) {
        reason = "the therapist has no other open time that week";
      }
      out.gaps.push_back({week_start, need - placed, reason});
    }
  }
  std::sort(out.visits.begin(), out.visits.end(),
            [](const SeriesPick& a, const SeriesPick& b) {
              return a.at.start < b.at.start;
            });
  return out;
}

}  // namespace clinic::therapy_plans
