#include "services/appointments/rules.h"

#include "gtest/gtest.h"
#include "services/appointments/validation.h"

namespace clinic::appointments {
namespace {

constexpr char kHere[] = "locations/aaaaaaaa-1111-4111-8111-111111111111";
constexpr char kThere[] = "locations/bbbbbbbb-1111-4111-8111-111111111111";

google::type::TimeOfDay Hm(int h, int m = 0) {
  google::type::TimeOfDay t;
  t.set_hours(h);
  t.set_minutes(m);
  return t;
}

TEST(RulesTest, SelectsTheLocationsHoursAndExceptions) {
  v1::Location l;
  l.set_slot_minutes(30);
  v1::OpeningHours* o = l.add_opening_hours();
  o->set_day(google::type::TUESDAY);
  *o->mutable_open() = Hm(7);
  *o->mutable_close() = Hm(19);
  v1::AppointmentType t;
  t.mutable_duration()->set_seconds(3600);
  t.mutable_buffer_after()->set_seconds(900);
  v1::ProviderSchedule s;
  for (const char* where : {kHere, kThere}) {
    v1::WorkingHours* h = s.add_weekly_hours();
    h->set_location(where);
    h->set_day(google::type::TUESDAY);
    *h->mutable_start() = Hm(8);
    *h->mutable_end() = Hm(17);
  }
  v1::WorkingHours* b = s.add_breaks();
  b->set_location(kHere);
  b->set_day(google::type::TUESDAY);
  *b->mutable_start() = Hm(12);
  *b->mutable_end() = Hm(12, 30);
  v1::ScheduleException* off = s.add_exceptions();
  off->set_kind(v1::ScheduleException::KIND_TIME_OFF);
  *off->mutable_date() = FromCivilDay(absl::CivilDay(2026, 3, 10));
  v1::ScheduleException* extra = s.add_exceptions();
  extra->set_kind(v1::ScheduleException::KIND_EXTRA_HOURS);
  extra->set_location(kThere);
  *extra->mutable_date() = FromCivilDay(absl::CivilDay(2026, 3, 11));
  *extra->mutable_start() = Hm(9);
  *extra->mutable_end() = Hm(11);

  const slots::SlotRules r = BuildRules(l, kHere, absl::UTCTimeZone(), t, s);
  EXPECT_EQ(r.slot_minutes, 30);
  EXPECT_EQ(r.duration, absl::Hours(1));
  EXPECT_EQ(r.buffer_after, absl::Minutes(15));
  ASSERT_EQ(r.working_hours.size(), 1u);
  EXPECT_EQ(r.working_hours[0].day, absl::Weekday::tuesday);
  EXPECT_EQ(r.working_hours[0].start_minute, 480);
  ASSERT_EQ(r.breaks.size(), 1u);
  ASSERT_EQ(r.time_off.size(), 1u);  // whole day, every location
  EXPECT_EQ(r.time_off[0].end_minute, 1440);
  EXPECT_TRUE(r.extra_hours.empty());
  const slots::SlotRules there =
      BuildRules(l, kThere, absl::UTCTimeZone(), t, s);
  EXPECT_TRUE(there.breaks.empty());
  EXPECT_EQ(there.extra_hours.size(), 1u);

  // Tuesday 2026-03-03: 08:00 is open, 11:30 runs into the break.
  EXPECT_TRUE(
      slots::IsOpenStart(r, absl::FromCivil(absl::CivilMinute(2026, 3, 3, 8, 0),
                                            absl::UTCTimeZone())));
  EXPECT_FALSE(slots::IsOpenStart(
      r, absl::FromCivil(absl::CivilMinute(2026, 3, 3, 11, 30),
                         absl::UTCTimeZone())));
  // Time off on 2026-03-10.
  EXPECT_FALSE(slots::IsOpenStart(
      r, absl::FromCivil(absl::CivilMinute(2026, 3, 10, 8, 0),
                         absl::UTCTimeZone())));
  EXPECT_TRUE(WorksAt(s, kThere));
  EXPECT_FALSE(WorksAt(s, "locations/cccccccc-1111-4111-8111-111111111111"));
}

TEST(RulesTest, TimeOfDayAndCredentials) {
  EXPECT_EQ(TimeOfDayOf(11 * 60 + 59), v1::TIME_OF_DAY_PREFERENCE_MORNING);
  EXPECT_EQ(TimeOfDayOf(12 * 60), v1::TIME_OF_DAY_PREFERENCE_AFTERNOON);
  EXPECT_EQ(TimeOfDayOf(17 * 60), v1::TIME_OF_DAY_PREFERENCE_EVENING);
  v1::AppointmentType t;
  EXPECT_TRUE(CredentialsAllow(t, nullptr));
  t.add_allowed_credentials("PT");
  t.add_allowed_credentials("DPT");
  const std::vector<std::string> pta = {"PTA"}, dpt = {"dpt", "OCS"};
  EXPECT_TRUE(CredentialsAllow(t, nullptr));  // unknown: not checked
  EXPECT_FALSE(CredentialsAllow(t, &pta));
  EXPECT_TRUE(CredentialsAllow(t, &dpt));
}

}  // namespace
}  // namespace clinic::appointments
