#include "services/therapy_plans/series.h"

#include "gtest/gtest.h"

namespace clinic::therapy_plans {
namespace {

// Open starts every day from 8:00 to 16:00 on the hour, except `busy`.
std::vector<OpenStart> Open(absl::CivilDay from, absl::CivilDay to,
                            const std::vector<absl::CivilMinute>& busy = {}) {
  std::vector<OpenStart> out;
  for (absl::CivilDay d = from; d <= to; ++d) {
    for (int h = 8; h <= 16; ++h) {
      const absl::CivilMinute m(d.year(), d.month(), d.day(), h, 0);
      if (std::find(busy.begin(), busy.end(), m) != busy.end()) continue;
      OpenStart o;
      o.day = d;
      o.minute_of_day = h * 60;
      o.start = absl::FromCivil(m, absl::UTCTimeZone());
      o.local_start = absl::FormatCivilTime(m);
      out.push_back(o);
    }
  }
  return out;
}

SeriesAsk Ask() {
  SeriesAsk a;
  a.plan_start = absl::CivilDay(2026, 3, 2);  // a Monday
  a.duration_weeks = 6;
  a.visits_per_week = 2;
  a.first_day = a.plan_start;
  a.last_day = a.plan_start + 41;
  a.weekdays = {absl::Weekday::monday, absl::Weekday::thursday};
  a.minute_of_day = 9 * 60;
  return a;
}

TEST(SeriesTest, TwiceAWeekForSixWeeksAtThePreferredTimes) {
  const SeriesAsk a = Ask();
  const SeriesPlan p = PlanSeries(a, Open(a.first_day, a.last_day));
  ASSERT_EQ(p.visits.size(), 12u);
  EXPECT_TRUE(p.gaps.empty());
  for (const SeriesPick& v : p.visits) {
    EXPECT_TRUE(v.preferred) << v.at.local_start;
    EXPECT_EQ(v.at.minute_of_day, 9 * 60);
  }
  EXPECT_EQ(absl::GetWeekday(p.visits[0].at.day), absl::Weekday::monday);
  EXPECT_EQ(absl::GetWeekday(p.visits[1].at.day), absl::Weekday::thursday);
}

TEST(SeriesTest, ATakenTimeMovesToTheNearestOpenOneTheSameWeek) {
  const SeriesAsk a = Ask();
  // Thursday 5 March: 9:00 taken; time off on all of Monday 9 March.
  std::vector<absl::CivilMinute> busy = {absl::CivilMinute(2026, 3, 5, 9, 0)};
  for (int h = 8; h <= 16; ++h)
    busy.push_back(absl::CivilMinute(2026, 3, 9, h, 0));
  const SeriesPlan p = PlanSeries(a, Open(a.first_day, a.last_day, busy));
  ASSERT_EQ(p.visits.size(), 12u);
  EXPECT_EQ(p.visits[1].at.local_start, "2026-03-05T08:00");  // nearest
  EXPECT_FALSE(p.visits[1].preferred);
  EXPECT_EQ(p.visits[2].at.local_start, "2026-03-10T09:00");  // next day
}

TEST(SeriesTest, BookedVisitsCountAndLimitsMakeGaps) {
  SeriesAsk a = Ask();
  a.booked_days = {absl::CivilDay(2026, 3, 2), absl::CivilDay(2026, 3, 5)};
  SeriesPlan p = PlanSeries(a, Open(a.first_day, a.last_day));
  EXPECT_EQ(p.visits.size(), 10u);  // week 1 is full already
  a.max_visits = 3;
  p = PlanSeries(a, Open(a.first_day, a.last_day));
  EXPECT_EQ(p.visits.size(), 3u);
  ASSERT_FALSE(p.gaps.empty());
  EXPECT_EQ(p.gaps[0].reason, "the authorized visits are used up");
  // A week with nothing open.
  a = Ask();
  p = PlanSeries(a, Open(a.first_day + 7, a.last_day));
  EXPECT_EQ(p.visits.size(), 10u);
  ASSERT_EQ(p.gaps.size(), 1u);
  EXPECT_EQ(p.gaps[0].week_start, absl::CivilDay(2026, 3, 2));
  EXPECT_EQ(p.gaps[0].missing, 2);
}

}  // namespace
}  // namespace clinic::therapy_plans
