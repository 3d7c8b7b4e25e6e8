#include "services/therapy_plans/visits.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"

namespace clinic::therapy_plans {
namespace {

constexpr int kNoteEveryVisits = 10;
constexpr int kNoteEveryDays = 30;
constexpr int kSoonDays = 14;

std::string Words(absl::CivilDay d) {
  static const char* const kMonths[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return absl::StrCat(d.day(), " ", kMonths[d.month() - 1], " ", d.year());
}

v1::Alert MakeAlert(v1::AlertKind kind, int urgency, std::string message,
                    std::optional<absl::CivilDay> due = std::nullopt) {
  v1::Alert a;
  a.set_kind(kind);
  a.set_urgency(urgency);
  a.set_message(std::move(message));
  if (due) *a.mutable_due_date() = ToDate(*due);
  return a;
}

}  // namespace

absl::CivilDay ToDay(const google::type::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

google::type::Date ToDate(absl::CivilDay d) {
  google::type::Date out;
  out.set_year(static_cast<int32_t>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

absl::CivilDay PlanEnd(const v1::TherapyPlan& plan) {
  return ToDay(plan.start_date()) + 7 * plan.duration_weeks() - 1;
}

absl::CivilDay CertificationStart(const v1::TherapyPlan& plan) {
  return plan.has_certification_start() ? ToDay(plan.certification_start())
                                        : ToDay(plan.start_date());
}

absl::CivilDay CertificationEnd(const v1::TherapyPlan& plan) {
  return plan.has_certification_end() ? ToDay(plan.certification_end())
                                      : ToDay(plan.start_date()) + 90;
}

std::vector<Visit> PlanVisits(const v1::TherapyPlan& plan,
                              const std::vector<Visit>& visits) {
  const absl::CivilDay first = ToDay(plan.start_date());
  const absl::CivilDay last = std::max(CertificationEnd(plan), PlanEnd(plan));
  std::vector<Visit> out;
  for (const Visit& v : visits) {
    if (v.local_day >= first && v.local_day <= last) out.push_back(v);
  }
  std::sort(out.begin(), out.end(),
            [](const Visit& a, const Visit& b) { return a.start < b.start; });
  return out;
}

v1::VisitCounts CountVisits(const v1::TherapyPlan& plan,
                            const std::vector<Visit>& visits, absl::Time now) {
  v1::VisitCounts c;
  c.set_planned(plan.visits_per_week() * plan.duration_weeks());
  c.set_authorized(plan.authorized_visits());
  const Visit* next = nullptr;
  for (const Visit& v : visits) {
    switch (v.state) {
      case Visit::kCompleted:
        c.set_completed(c.completed() + 1);
        break;
      case Visit::kNoShow:
        c.set_no_show(c.no_show() + 1);
        break;
      case Visit::kCancelled:
        c.set_cancelled(c.cancelled() + 1);
        break;
      case Visit::kBooked:
        if (v.start >= now) {
          c.set_upcoming(c.upcoming() + 1);
          if (next == nullptr || v.start < next->start) next = &v;
        }
        break;
    }
  }
  if (next != nullptr) {
    c.mutable_next_visit()->set_seconds(absl::ToUnixSeconds(next->start));
    c.set_next_visit_local(next->local_start);
    c.set_time_zone(next->time_zone);
  }
  return c;
}

std::vector<v1::Alert> Alerts(const v1::TherapyPlan& plan,
                              const std::vector<Visit>& visits,
                              const v1::VisitCounts& counts, absl::Time now,
                              absl::CivilDay today) {
  std::vector<v1::Alert> out;
  const bool active = plan.state() == v1::PLAN_STATE_ACTIVE;
  if (!active && plan.state() != v1::PLAN_STATE_ON_HOLD) return out;

  // Progress note: the last goal measurement counts as the last note.
  absl::CivilDay last_note = ToDay(plan.start_date());
  for (const v1::Goal& g : plan.goals()) {
    for (const v1::GoalProgress& p : g.progress()) {
      last_note = std::max(last_note, ToDay(p.date()));
    }
  }
  int since = 0;
  for (const Visit& v : visits) {
    if (v.state == Visit::kCompleted && v.local_day > last_note) ++since;
  }
  const int days = static_cast<int>(today - last_note);
  if (since >= kNoteEveryVisits || days >= kNoteEveryDays) {
    out.push_back(MakeAlert(v1::ALERT_KIND_PROGRESS_NOTE_DUE, 1,
                            since >= kNoteEveryVisits
                                ? absl::StrCat("Progress note due: ", since,
                                               " visits since the last one")
                                : absl::StrCat("Progress note due: ", days,
                                               " days since the last one"),
                            std::min(today, last_note + kNoteEveryDays)));
  } else if (active && (since >= kNoteEveryVisits - 2 || days >= 25)) {
    out.push_back(MakeAlert(
        v1::ALERT_KIND_PROGRESS_NOTE_DUE, 3,
        absl::StrCat("Progress note due soon (", since, " visits and ", days,
                     " days since the last one)"),
        last_note + kNoteEveryDays));
  }

  const absl::CivilDay cert_end = CertificationEnd(plan);
  if (today > cert_end) {
    out.push_back(MakeAlert(v1::ALERT_KIND_RE_EVALUATION_DUE, 1,
                            absl::StrCat("The certification period ended on ",
                                         Words(cert_end), ": re-evaluate"),
                            cert_end));
  } else if (cert_end - today <= kSoonDays) {
    out.push_back(MakeAlert(
        v1::ALERT_KIND_RE_EVALUATION_DUE, 2,
        absl::StrCat("Re-evaluation due before the certification period ends "
                     "on ",
                     Words(cert_end)),
        cert_end));
  }

  const absl::CivilDay end = PlanEnd(plan);
  if (today <= end && end - today <= kSoonDays) {
    out.push_back(
        MakeAlert(v1::ALERT_KIND_PLAN_EXPIRING, 3,
                  absl::StrCat("The plan ends on ", Words(end), " (in ",
                               static_cast<int>(end - today), " days)"),
                  end));
  }

  if (plan.authorized_visits() > 0) {
    const int left = plan.authorized_visits() - counts.completed();
    if (left <= 2) {
      out.push_back(MakeAlert(
          v1::ALERT_KIND_AUTHORIZATION_LOW, 2,
          left <= 0
              ? "All authorized visits are used"
              : absl::StrCat(left, left == 1 ? " authorized visit left"
                                             : " authorized visits left")));
    }
  }

  if (active && counts.upcoming() == 0) {
    out.push_back(MakeAlert(v1::ALERT_KIND_NO_FUTURE_VISIT, 1,
                            "No future visit is booked"));
  }

  int no_shows = 0;
  for (auto it = visits.rbegin(); it != visits.rend(); ++it) {
    if (it->start > now || it->state == Visit::kCancelled) continue;
    if (it->state != Visit::kNoShow) break;
    ++no_shows;
  }
  if (no_shows >= 2) {
    out.push_back(MakeAlert(
        v1::ALERT_KIND_NO_SHOWS, 1,
        absl::StrCat("The last ", no_shows, " visits were no-shows")));
  }

  std::stable_sort(out.begin(), out.end(),
                   [](const v1::Alert& a, const v1::Alert& b) {
                     return a.urgency() < b.urgency();
                   });
  return out;
}

}  // namespace clinic::therapy_plans
