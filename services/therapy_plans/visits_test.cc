// Due tracking with an injected clock: each alert fires exactly when it
// should.
#include "services/therapy_plans/visits.h"

#include "gtest/gtest.h"

namespace clinic::therapy_plans {
namespace {

class VisitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plan_.set_state(v1::PLAN_STATE_ACTIVE);
    *plan_.mutable_start_date() = ToDate(absl::CivilDay(2026, 3, 2));
    plan_.set_visits_per_week(2);
    plan_.set_duration_weeks(6);
    plan_.add_goals()->set_description("Run 5 km");
  }
  Visit At(absl::CivilDay day, Visit::State state) {
    Visit v;
    v.local_day = day;
    v.start = absl::FromCivil(
        absl::CivilSecond(day.year(), day.month(), day.day(), 9, 0, 0),
        absl::UTCTimeZone());
    v.state = state;
    return v;
  }
  std::vector<v1::AlertKind> Kinds(const std::vector<Visit>& visits,
                                   absl::CivilDay today) {
    const absl::Time now = absl::FromCivil(
        absl::CivilSecond(today.year(), today.month(), today.day(), 12, 0, 0),
        absl::UTCTimeZone());
    const v1::VisitCounts counts = CountVisits(plan_, visits, now);
    std::vector<v1::AlertKind> out;
    for (const v1::Alert& a : Alerts(plan_, visits, counts, now, today)) {
      out.push_back(a.kind());
    }
    return out;
  }
  static bool Has(const std::vector<v1::AlertKind>& k, v1::AlertKind kind) {
    return std::find(k.begin(), k.end(), kind) != k.end();
  }
  v1::TherapyPlan plan_;
};

TEST_F(VisitsTest, CountsVisitsByState) {
  std::vector<Visit> v = {At(absl::CivilDay(2026, 3, 3), Visit::kCompleted),
                          At(absl::CivilDay(2026, 3, 5), Visit::kNoShow),
                          At(absl::CivilDay(2026, 3, 10), Visit::kCancelled),
                          At(absl::CivilDay(2026, 3, 12), Visit::kBooked)};
  plan_.set_authorized_visits(10);
  const v1::VisitCounts c =
      CountVisits(plan_, v,
                  absl::FromCivil(absl::CivilSecond(2026, 3, 11, 0, 0, 0),
                                  absl::UTCTimeZone()));
  EXPECT_EQ(c.planned(), 12);
  EXPECT_EQ(c.completed(), 1);
  EXPECT_EQ(c.no_show(), 1);
  EXPECT_EQ(c.cancelled(), 1);
  EXPECT_EQ(c.upcoming(), 1);
  EXPECT_EQ(c.authorized(), 10);
}

TEST_F(VisitsTest, ProgressNoteEveryTenthVisitOrThirtyDays) {
  std::vector<Visit> v;
  for (int i = 0; i < 9; ++i) {
    v.push_back(At(absl::CivilDay(2026, 3, 3) + i, Visit::kCompleted));
  }
  v.push_back(At(absl::CivilDay(2026, 3, 20), Visit::kBooked));
  const absl::CivilDay today(2026, 3, 12);
  EXPECT_FALSE(Has(Kinds(v, today), v1::ALERT_KIND_NO_FUTURE_VISIT));
  // 9 visits: due soon (urgency 3); the 10th makes it due.
  auto soon = Kinds(v, today);
  EXPECT_TRUE(Has(soon, v1::ALERT_KIND_PROGRESS_NOTE_DUE));
  v.push_back(At(absl::CivilDay(2026, 3, 12), Visit::kCompleted));
  const absl::Time now = absl::FromCivil(
      absl::CivilSecond(2026, 3, 12, 12, 0, 0), absl::UTCTimeZone());
  auto alerts = Alerts(plan_, v, CountVisits(plan_, v, now), now, today);
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(alerts[0].kind(), v1::ALERT_KIND_PROGRESS_NOTE_DUE);
  EXPECT_EQ(alerts[0].urgency(), 1);
  EXPECT_EQ(alerts[0].message(),
            "Progress note due: 10 visits since the last one");
  // A measurement counts as the note: nothing due the day after.
  v1::GoalProgress* p = plan_.mutable_goals(0)->add_progress();
  *p->mutable_date() = ToDate(absl::CivilDay(2026, 3, 12));
  EXPECT_FALSE(Has(Kinds(v, absl::CivilDay(2026, 3, 13)),
                   v1::ALERT_KIND_PROGRESS_NOTE_DUE));
  // 30 days after the last note, without visits: due.
  EXPECT_TRUE(Has(Kinds(v, absl::CivilDay(2026, 4, 11)),
                  v1::ALERT_KIND_PROGRESS_NOTE_DUE));
  // 24 days after it, with no visit since: nothing due, not even soon.
  EXPECT_FALSE(Has(Kinds(v, absl::CivilDay(2026, 4, 5)),
                   v1::ALERT_KIND_PROGRESS_NOTE_DUE));
}

TEST_F(VisitsTest, ReEvaluationExpiryAuthorizationNoFutureVisitAndNoShows) {
  // Certification ends 90 days after the start: 31 May.
  EXPECT_FALSE(Has(Kinds({}, absl::CivilDay(2026, 5, 16)),
                   v1::ALERT_KIND_RE_EVALUATION_DUE));
  EXPECT_TRUE(Has(Kinds({}, absl::CivilDay(2026, 5, 17)),
                  v1::ALERT_KIND_RE_EVALUATION_DUE));
  // The plan's last day is 12 April (6 weeks from 2 March).
  EXPECT_FALSE(Has(Kinds({}, absl::CivilDay(2026, 3, 28)),
                   v1::ALERT_KIND_PLAN_EXPIRING));
  EXPECT_TRUE(Has(Kinds({}, absl::CivilDay(2026, 3, 29)),
                  v1::ALERT_KIND_PLAN_EXPIRING));
  EXPECT_TRUE(Has(Kinds({}, absl::CivilDay(2026, 3, 3)),
                  v1::ALERT_KIND_NO_FUTURE_VISIT));
  // Two authorized visits left.
  plan_.set_authorized_visits(3);
  std::vector<Visit> v = {At(absl::CivilDay(2026, 3, 3), Visit::kCompleted),
                          At(absl::CivilDay(2026, 3, 20), Visit::kBooked)};
  EXPECT_TRUE(Has(Kinds(v, absl::CivilDay(2026, 3, 4)),
                  v1::ALERT_KIND_AUTHORIZATION_LOW));
  plan_.set_authorized_visits(4);
  EXPECT_FALSE(Has(Kinds(v, absl::CivilDay(2026, 3, 4)),
                   v1::ALERT_KIND_AUTHORIZATION_LOW));
  // Two no-shows in a row (a cancellation between does not break it).
  v = {At(absl::CivilDay(2026, 3, 3), Visit::kCompleted),
       At(absl::CivilDay(2026, 3, 5), Visit::kNoShow),
       At(absl::CivilDay(2026, 3, 9), Visit::kCancelled),
       At(absl::CivilDay(2026, 3, 10), Visit::kNoShow),
       At(absl::CivilDay(2026, 3, 20), Visit::kBooked)};
  EXPECT_TRUE(
      Has(Kinds(v, absl::CivilDay(2026, 3, 11)), v1::ALERT_KIND_NO_SHOWS));
  v[1].state = Visit::kCompleted;
  EXPECT_FALSE(
      Has(Kinds(v, absl::CivilDay(2026, 3, 11)), v1::ALERT_KIND_NO_SHOWS));
  // A draft has no alerts.
  plan_.set_state(v1::PLAN_STATE_DRAFT);
  EXPECT_TRUE(Kinds({}, absl::CivilDay(2026, 5, 30)).empty());
}

}  // namespace
}  // namespace clinic::therapy_plans
