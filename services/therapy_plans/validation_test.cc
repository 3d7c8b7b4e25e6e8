#include "services/therapy_plans/validation.h"

#include "gtest/gtest.h"
#include "services/common/status/errors.h"

namespace clinic::therapy_plans {
namespace {

v1::TherapyPlan Good() {
  v1::TherapyPlan p;
  p.set_condition("Pes anserine bursitis");
  p.mutable_start_date()->set_year(2026);
  p.mutable_start_date()->set_month(12);
  p.mutable_start_date()->set_day(1);
  p.set_visits_per_week(2);
  p.set_duration_weeks(6);
  p.add_goals()->set_description("Run 5 km");
  return p;
}

TEST(ValidationTest, AGoodPlanGetsItsDefaults) {
  v1::TherapyPlan p = Good();
  ASSERT_TRUE(CheckPlan(p).ok());
  EXPECT_EQ(p.certification_end().month(), 3);  // 90 days later
  EXPECT_EQ(p.goals(0).id(), "g1");
  EXPECT_EQ(p.goals(0).status(), v1::GOAL_STATUS_IN_PROGRESS);
}

TEST(ValidationTest, EveryBadFieldIsNamed) {
  v1::TherapyPlan p = Good();
  p.set_visits_per_week(0);
  p.set_duration_weeks(60);
  p.mutable_goals(0)->mutable_target_date()->set_year(2026);
  p.mutable_goals(0)->mutable_target_date()->set_month(11);
  p.mutable_goals(0)->mutable_target_date()->set_day(1);
  p.add_home_exercises()->set_sets(-1);
  const absl::Status s = CheckPlan(p);
  std::vector<std::string> fields;
  for (const auto& v : status::FieldViolationsOf(s)) fields.push_back(v.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{
                "plan.visits_per_week", "plan.duration_weeks",
                "plan.goals[0].target_date", "plan.home_exercises[0].name",
                "plan.home_exercises[0].sets"}));
}

TEST(ValidationTest, ActivatingNeedsAGoalAndReadOnlyPlansStay) {
  v1::TherapyPlan p = Good();
  p.set_state(v1::PLAN_STATE_DRAFT);
  EXPECT_TRUE(CheckTransition(p, v1::PLAN_STATE_ACTIVE).ok());
  p.clear_goals();
  const absl::Status s = CheckTransition(p, v1::PLAN_STATE_ACTIVE);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::FieldViolationsOf(s)[0].field, "plan.goals");
  p.set_state(v1::PLAN_STATE_COMPLETED);
  EXPECT_EQ(CheckTransition(p, v1::PLAN_STATE_ACTIVE).message(),
            "the plan is completed; it cannot become active");
}

TEST(ValidationTest, ATemplateFillsWhatThePlanLeavesEmpty) {
  v1::PlanTemplate t;
  t.set_condition("Pes anserine bursitis");
  t.set_visits_per_week(2);
  t.set_duration_weeks(6);
  v1::Goal* g = t.add_goals();
  g->set_description("Run");
  g->set_target_weeks(3);
  v1::TherapyPlan p;
  *p.mutable_start_date() = Good().start_date();
  p.set_condition("Right knee: pes anserine bursitis");
  ApplyTemplate(t, p);
  EXPECT_EQ(p.condition(), "Right knee: pes anserine bursitis");
  EXPECT_EQ(p.visits_per_week(), 2);
  EXPECT_EQ(p.goals(0).target_date().day(), 22);
}

}  // namespace
}  // namespace clinic::therapy_plans
