#include "services/therapy_plans/validation.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"
#include "services/therapy_plans/visits.h"

namespace clinic::therapy_plans {
namespace {

bool ValidDate(const google::type::Date& d) {
  if (d.year() < 2000 || d.year() > 2200 || d.month() < 1 || d.month() > 12 ||
      d.day() < 1) {
    return false;
  }
  const absl::CivilDay c(d.year(), d.month(), d.day());
  return c.year() == d.year() && c.month() == d.month() && c.day() == d.day();
}

void Trim(std::string* s) { *s = std::string(absl::StripAsciiWhitespace(*s)); }

void CheckText(status::Violations& v, const std::string& field,
               const std::string& text, size_t min, size_t max,
               const char* what) {
  const size_t n = text::CodePoints(text);
  if (n < min) {
    v.Add(field, absl::StrCat("write ", what));
  } else if (n > max) {
    v.Add(field, absl::StrCat("at most ", max, " characters"));
  }
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      v.Add(field, "must not contain control characters");
      break;
    }
  }
}

void CheckExercises(status::Violations& v, const std::string& prefix,
                    google::protobuf::RepeatedPtrField<v1::Exercise>* list) {
  for (int i = 0; i < list->size(); ++i) {
    v1::Exercise& e = *list->Mutable(i);
    const std::string f = absl::StrCat(prefix, "[", i, "].");
    Trim(e.mutable_name());
    CheckText(v, f + "name", e.name(), 1, 120, "the exercise's name");
    if (e.sets() < 0 || e.sets() > 20) v.Add(f + "sets", "0 to 20 sets");
    if (e.reps() < 0 || e.reps() > 200)
      v.Add(f + "reps", "0 to 200 repetitions");
    if (e.hold_seconds() < 0 || e.hold_seconds() > 3600) {
      v.Add(f + "hold_seconds", "0 to 3,600 seconds");
    }
    CheckText(v, f + "frequency", e.frequency(), 0, 60, "");
    CheckText(v, f + "notes", e.notes(), 0, 500, "");
  }
}

}  // namespace

const char* StateWords(v1::PlanState state) {
  switch (state) {
    case v1::PLAN_STATE_DRAFT:
      return "a draft";
    case v1::PLAN_STATE_ACTIVE:
      return "active";
    case v1::PLAN_STATE_ON_HOLD:
      return "on hold";
    case v1::PLAN_STATE_COMPLETED:
      return "completed";
    case v1::PLAN_STATE_DISCONTINUED:
      return "discontinued";
    default:
      return "unknown";
  }
}

absl::Status CheckPlan(v1::TherapyPlan& p) {
  status::Violations v;
  Trim(p.mutable_condition());
  Trim(p.mutable_icd10_code());
  Trim(p.mutable_body_region());
  CheckText(v, "plan.condition", p.condition(), 1, 200, "the condition");
  if (!p.icd10_code().empty()) {
    const std::string& c = p.icd10_code();
    bool ok = c.size() >= 3 && c.size() <= 8 && absl::ascii_isupper(c[0]) &&
              absl::ascii_isdigit(c[1]);
    for (char ch : c) {
      ok = ok &&
           (absl::ascii_isupper(ch) || absl::ascii_isdigit(ch) || ch == '.');
    }
    if (!ok) v.Add("plan.icd10_code", "is not an ICD-10 code (e.g. M70.50)");
  }
  CheckText(v, "plan.body_region", p.body_region(), 0, 100, "");
  CheckText(v, "plan.precautions", p.precautions(), 0, 2000, "");
  const bool has_start = p.has_start_date() && ValidDate(p.start_date());
  if (!has_start) v.Add("plan.start_date", "choose the first day of care");
  if (p.visits_per_week() < 1 || p.visits_per_week() > 7) {
    v.Add("plan.visits_per_week", "1 to 7 visits a week");
  }
  if (p.duration_weeks() < 1 || p.duration_weeks() > 52) {
    v.Add("plan.duration_weeks", "1 to 52 weeks (at most a year)");
  }
  if (p.authorized_visits() < 0 || p.authorized_visits() > 500) {
    v.Add("plan.authorized_visits", "0 (no limit) to 500 visits");
  }
  if (has_start) {
    if (!p.has_certification_start()) {
      *p.mutable_certification_start() = p.start_date();
    }
    if (!p.has_certification_end()) {
      *p.mutable_certification_end() = ToDate(ToDay(p.start_date()) + 90);
    }
    if (!ValidDate(p.certification_start())) {
      v.Add("plan.certification_start", "not a day of the calendar");
    } else if (!ValidDate(p.certification_end())) {
      v.Add("plan.certification_end", "not a day of the calendar");
    } else {
      const absl::CivilDay from = ToDay(p.certification_start());
      const absl::CivilDay to = ToDay(p.certification_end());
      if (to < from || to - from > 366) {
        v.Add("plan.certification_end",
              "must be after the certification start, and at most a year "
              "after it");
      }
    }
  }
  int next_id = 1;
  for (const v1::Goal& g : p.goals()) {
    if (g.id().size() > 1 && g.id()[0] == 'g') {
      int n = 0;
      if (absl::SimpleAtoi(g.id().substr(1), &n))
        next_id = std::max(next_id, n + 1);
    }
  }
  for (int i = 0; i < p.goals_size(); ++i) {
    v1::Goal& g = *p.mutable_goals(i);
    const std::string f = absl::StrCat("plan.goals[", i, "].");
    Trim(g.mutable_description());
    Trim(g.mutable_measure());
    if (g.id().empty()) g.set_id(absl::StrCat("g", next_id++));
    CheckText(v, f + "description", g.description(), 1, 300, "the goal");
    CheckText(v, f + "measure", g.measure(), 0, 100, "");
    if (g.has_target_date()) {
      if (!ValidDate(g.target_date())) {
        v.Add(f + "target_date", "not a day of the calendar");
      } else if (has_start && ToDay(g.target_date()) < ToDay(p.start_date())) {
        v.Add(f + "target_date", "must not be before the plan's start");
      }
    }
    if (!v1::GoalTerm_IsValid(g.term()))
      v.Add(f + "term", "short or long term");
    if (!v1::GoalStatus_IsValid(g.status()))
      v.Add(f + "status", "not a status");
    if (g.status() == v1::GOAL_STATUS_UNSPECIFIED) {
      g.set_status(v1::GOAL_STATUS_IN_PROGRESS);
    }
    g.clear_target_weeks();
  }
  CheckExercises(v, "plan.interventions", p.mutable_interventions());
  CheckExercises(v, "plan.home_exercises", p.mutable_home_exercises());
  return v.ToStatus();
}

void ApplyTemplate(const v1::PlanTemplate& t, v1::TherapyPlan& p) {
  if (p.condition().empty()) p.set_condition(t.condition());
  if (p.icd10_code().empty()) p.set_icd10_code(t.icd10_code());
  if (p.body_region().empty()) p.set_body_region(t.body_region());
  if (p.visits_per_week() == 0) p.set_visits_per_week(t.visits_per_week());
  if (p.duration_weeks() == 0) p.set_duration_weeks(t.duration_weeks());
  if (p.precautions().empty()) p.set_precautions(t.precautions());
  if (p.goals_size() == 0) {
    for (const v1::Goal& g : t.goals()) {
      v1::Goal* out = p.add_goals();
      *out = g;
      if (g.target_weeks() > 0 && p.has_start_date() &&
          ValidDate(p.start_date())) {
        *out->mutable_target_date() =
            ToDate(ToDay(p.start_date()) + 7 * g.target_weeks());
      }
      out->clear_target_weeks();
    }
  }
  if (p.interventions_size() == 0)
    *p.mutable_interventions() = t.interventions();
  if (p.home_exercises_size() == 0) {
    *p.mutable_home_exercises() = t.home_exercises();
  }
}

absl::Status CheckTransition(const v1::TherapyPlan& p, v1::PlanState to) {
  const v1::PlanState from = p.state();
  bool ok = false;
  switch (to) {
    case v1::PLAN_STATE_ACTIVE:
      ok = from == v1::PLAN_STATE_DRAFT || from == v1::PLAN_STATE_ON_HOLD;
      break;
    case v1::PLAN_STATE_ON_HOLD:
      ok = from == v1::PLAN_STATE_ACTIVE;
      break;
    case v1::PLAN_STATE_COMPLETED:
    case v1::PLAN_STATE_DISCONTINUED:
      ok = from == v1::PLAN_STATE_ACTIVE || from == v1::PLAN_STATE_ON_HOLD;
      break;
    default:
      return status::InvalidField("state", "choose what the plan becomes");
  }
  if (!ok) {
    return absl::FailedPreconditionError(
        absl::StrCat("the plan is ", StateWords(from), "; it cannot become ",
                     StateWords(to)));
  }
  if (to == v1::PLAN_STATE_ACTIVE && p.goals_size() == 0) {
    return status::WithFieldViolations(
        absl::FailedPreconditionError("a plan needs at least one goal to be "
                                      "activated"),
        {{"plan.goals", "add at least one goal before activating the plan"}});
  }
  return absl::OkStatus();
}

}  // namespace clinic::therapy_plans
