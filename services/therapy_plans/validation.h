// Checks of a plan's content, every violated field at once (field paths
// like "plan.goals[0].target_date", words for people). Pure.
#ifndef CLINIC_SERVICES_THERAPY_PLANS_VALIDATION_H_
#define CLINIC_SERVICES_THERAPY_PLANS_VALIDATION_H_

#include "absl/status/status.h"
#include "clinic/therapy_plans/v1/therapy_plans.pb.h"

namespace clinic::therapy_plans {

// Checks and normalizes `plan` in place (trims text; fills the
// certification period and goal ids and statuses). INVALID_ARGUMENT with
// every violation.
absl::Status CheckPlan(v1::TherapyPlan& plan);

// The template's content as a new plan starting on plan.start_date(): its
// fields fill those `plan` leaves empty; goal target dates come from
// target_weeks.
void ApplyTemplate(const v1::PlanTemplate& t, v1::TherapyPlan& plan);

// Whether `from` may move to `to` (FAILED_PRECONDITION in words
// otherwise); activating needs a goal.
absl::Status CheckTransition(const v1::TherapyPlan& plan, v1::PlanState to);

// "draft", "active", ...
const char* StateWords(v1::PlanState state);

}  // namespace clinic::therapy_plans

#endif  // CLINIC_SERVICES_THERAPY_PLANS_VALIDATION_H_
