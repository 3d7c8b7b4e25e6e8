#include "services/appointments/validation.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace clinic::appointments {
namespace {

v1::Location Good() {
  v1::Location l;
  l.set_display_name("  Boulder  ");
  l.set_time_zone("America/Denver");
  v1::OpeningHours* h = l.add_opening_hours();
  h->set_day(google::type::MONDAY);
  h->mutable_open()->set_hours(7);
  h->mutable_close()->set_hours(24);
  return l;
}

TEST(ValidationTest, LocationNormalizesAndDefaults) {
  v1::Location l = Good();
  ASSERT_TRUE(NormalizeAndValidateLocation("location", l).ok());
  EXPECT_EQ(l.display_name(), "Boulder");
  EXPECT_EQ(l.slot_minutes(), 15);
}

TEST(ValidationTest, LocationRefusalsNameTheField) {
  struct Case {
    std::function<void(v1::Location&)> spoil;
    std::string prefix;
  } cases[] = {
      {[](auto& l) { l.set_display_name(" "); }, "location.display_name: "},
      {[](auto& l) { l.set_time_zone("Nowhere/Land"); },
       "location.time_zone: unknown IANA time zone"},
      {[](auto& l) { l.set_time_zone(""); }, "location.time_zone: is required"},
      {[](auto& l) { l.set_slot_minutes(25); }, "location.slot_minutes: "},
      {[](auto& l) { *l.add_opening_hours() = l.opening_hours(0); },
       "location.opening_hours[1].day: "},
      {[](auto& l) {
         l.mutable_opening_hours(0)->set_day(
             google::type::DAY_OF_WEEK_UNSPECIFIED);
       },
       "location.opening_hours[0].day: "},
      {[](auto& l) {
         l.mutable_opening_hours(0)->mutable_close()->set_hours(7);
       },
       "location.opening_hours[0].close: must be after open"},
      {[](auto& l) {
         l.mutable_opening_hours(0)->mutable_open()->set_hours(25);
       },
       "location.opening_hours[0].open: "},
      {[](auto& l) { l.add_closures()->mutable_date()->set_year(2026); },
       "location.closures[0].date: "},
      {[](auto& l) { l.mutable_reminder_lead()->set_seconds(1800); },
       "location.reminder_lead: must be from 1 hour to 14 days"},
      {[](auto& l) {
         l.mutable_reminder_lead()->set_seconds(3600);
         l.mutable_reminder_lead()->set_nanos(500000000);
       },
       "location.reminder_lead: must be whole seconds"},
  };
  for (const Case& c : cases) {
    v1::Location l = Good();
    c.spoil(l);
    absl::Status s = NormalizeAndValidateLocation("location", l);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.prefix;
    EXPECT_TRUE(absl::StartsWith(s.message(), c.prefix)) << s.message();
  }
}

TEST(ValidationTest, TypeDurations) {
  v1::AppointmentType t;
  t.set_display_name("Follow-up");
  t.mutable_duration()->set_seconds(45 * 60);
  ASSERT_TRUE(NormalizeAndValidateType("t", t).ok());
  EXPECT_EQ(t.max_days_ahead(), 60);
  t.mutable_duration()->set_seconds(0);
  EXPECT_TRUE(absl::StartsWith(NormalizeAndValidateType("t", t).message(),
                               "t.duration: "));
  t.mutable_duration()->set_seconds(9 * 3600);
  EXPECT_FALSE(NormalizeAndValidateType("t", t).ok());
  t.mutable_duration()->set_seconds(3600);
  t.mutable_buffer_before()->set_seconds(-60);
  EXPECT_TRUE(absl::StartsWith(NormalizeAndValidateType("t", t).message(),
                               "t.buffer_before: "));
}

TEST(ValidationTest, Names) {
  EXPECT_EQ(*ParseTherapist("x", "staff/AAAAAAAA-1111-4111-8111-111111111111"),
            "staff/aaaaaaaa-1111-4111-8111-111111111111");
  EXPECT_FALSE(ParseTherapist("x", "staff/1").ok());
  EXPECT_EQ(*ParseScheduleName(
                "name", "staff/aaaaaaaa-1111-4111-8111-111111111111/schedule"),
            "staff/aaaaaaaa-1111-4111-8111-111111111111");
  EXPECT_FALSE(ParseScheduleName("name", "staff/x/schedule").ok());
  EXPECT_EQ(ParseId("name", "", "locations").status().message(),
            "name: is required");
}

TEST(ValidationTest, ScheduleExceptions) {
  v1::ProviderSchedule s;
  v1::ScheduleException* e = s.add_exceptions();
  e->set_kind(v1::ScheduleException::KIND_EXTRA_HOURS);
  e->mutable_date()->set_year(2026);
  e->mutable_date()->set_month(2);
  e->mutable_date()->set_day(30);
  EXPECT_TRUE(absl::StartsWith(ValidateSchedule("schedule", s).message(),
                               "schedule.exceptions[0].date: "));
  e->mutable_date()->set_day(27);
  EXPECT_TRUE(absl::StartsWith(ValidateSchedule("schedule", s).message(),
                               "schedule.exceptions[0].location: "));
  e->set_kind(v1::ScheduleException::KIND_TIME_OFF);
  EXPECT_TRUE(ValidateSchedule("schedule", s).ok());
}

TEST(ValidationTest, LocalStart) {
  absl::TimeZone z;
  ASSERT_TRUE(absl::LoadTimeZone("America/Denver", &z));
  const absl::Time t = absl::FromCivil(absl::CivilMinute(2026, 3, 8, 9, 0), z);
  EXPECT_EQ(LocalStart(t, z), "2026-03-08T09:00");
  EXPECT_EQ(FromProto(ToProto(t)), t);
}

TEST(ValidationTest, DatesAndInstantsStayInTheSchedulingHorizon) {
  google::type::Date d;
  d.set_year(9999);
  d.set_month(12);
  d.set_day(31);
  EXPECT_EQ(ValidateDate("end_date", d).message(),
            "end_date: must be in the years 1900 to 2999");
  d.set_year(2999);
  EXPECT_TRUE(ValidateDate("end_date", d).ok());
  google::protobuf::Timestamp ts;
  ts.set_seconds(253402300799LL);  // 9999-12-31T23:59:59Z
  EXPECT_EQ(ToTime("start_time", ts).status().message(),
            "start_time: must be in the years 1900 to 2999");
  ts.set_seconds(-62135596800LL);  // 0001-01-01
  EXPECT_FALSE(ToTime("start_time", ts).ok());
  ts.set_seconds(1795000000);  // 2026
  EXPECT_TRUE(ToTime("start_time", ts).ok());
}

}  // namespace
}  // namespace clinic::appointments
