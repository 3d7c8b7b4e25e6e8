#include "services/appointments/availability.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/appointments/validation.h"
#include "services/common/status/errors.h"

namespace clinic::appointments {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kDenver[] = "America/Denver";
constexpr char kHere[] = "locations/aaaaaaaa-1111-4111-8111-111111111111";
constexpr char kThere[] = "locations/bbbbbbbb-1111-4111-8111-111111111111";
constexpr char kType[] =
    "appointmentTypes/cccccccc-1111-4111-8111-111111111111";
constexpr char kAnn[] = "staff/11111111-1111-4111-8111-111111111111";
constexpr char kBob[] = "staff/22222222-2222-4222-8222-222222222222";

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

absl::Time Local(int m, int d, int hh, int mm = 0) {
  return absl::FromCivil(absl::CivilMinute(2026, m, d, hh, mm), Zone(kDenver));
}

google::type::TimeOfDay Hm(int h, int m = 0) {
  google::type::TimeOfDay t;
  t.set_hours(h);
  t.set_minutes(m);
  return t;
}

// A location open every day 07:00-19:00 on an hourly grid.
SearchLocation Place(const std::string& name, const std::string& zone) {
  SearchLocation l;
  l.name = name;
  l.location.set_name(name);
  l.location.set_time_zone(zone);
  l.location.set_slot_minutes(60);
  for (int d = 1; d <= 7; ++d) {
    v1::OpeningHours* h = l.location.add_opening_hours();
    h->set_day(static_cast<google::type::DayOfWeek>(d));
    *h->mutable_open() = Hm(7);
    *h->mutable_close() = Hm(19);
  }
  l.zone = Zone(zone);
  return l;
}

// 60 minutes with a 15-minute buffer after; bookable online with 48 hours'
// notice, at most 5 days ahead.
v1::AppointmentType Type() {
  v1::AppointmentType t;
  t.set_name(kType);
  t.set_display_name("Follow-up");
  t.set_active(true);
  t.mutable_duration()->set_seconds(3600);
  t.mutable_buffer_after()->set_seconds(15 * 60);
  t.set_bookable_online(true);
  t.mutable_min_notice()->set_seconds(48 * 3600);
  t.set_max_days_ahead(5);
  return t;
}

// Every day 09:00-12:00 at each of `locations`.
ScheduleRecord Schedule(const std::string& therapist,
                        const std::vector<std::string>& locations) {
  ScheduleRecord r;
  r.therapist = therapist;
  r.schedule.set_name(absl::StrCat(therapist, "/schedule"));
  for (const std::string& location : locations) {
    for (int d = 1; d <= 7; ++d) {
      v1::WorkingHours* h = r.schedule.add_weekly_hours();
      h->set_location(location);
      h->set_day(static_cast<google::type::DayOfWeek>(d));
      *h->mutable_start() = Hm(9);
      *h->mutable_end() = Hm(12);
    }
  }
  return r;
}

SlotSearch Days(int first_day, int last_day, int max_slots = 500) {
  SlotSearch s;
  s.first_day = absl::CivilDay(2026, 3, first_day);
  s.last_day = absl::CivilDay(2026, 3, last_day);
  s.max_slots = max_slots;
  return s;
}

// "therapist location local_start", to compare slots at a glance.
std::vector<std::string> Describe(const std::vector<v1::Slot>& slots) {
  std::vector<std::string> out;
  for (const v1::Slot& s : slots) {
    out.push_back(absl::StrCat(s.therapist().substr(6, 1), " ",
                               s.location().substr(10, 1), " ",
                               s.local_start()));
  }
  return out;
}

std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> out;
  for (const status::FieldViolation& v : status::FieldViolationsOf(status)) {
    out.push_back(v.field);
  }
  return out;
}

v1::FindAvailableSlotsRequest ValidRequest() {
  v1::FindAvailableSlotsRequest req;
  req.set_appointment_type(kType);
  req.add_locations(kHere);
  *req.mutable_start_date() = FromCivilDay(absl::CivilDay(2026, 3, 3));
  *req.mutable_end_date() = FromCivilDay(absl::CivilDay(2026, 3, 10));
  return req;
}

TEST(ParseSlotSearchTest, ReportsEveryInvalidFieldAtOnce) {
  v1::FindAvailableSlotsRequest req;
  req.set_appointment_type("types/1");
  req.add_locations("nowhere");
  req.add_locations(kHere);
  req.add_locations("locations/also-nowhere");
  req.set_therapist("bob");
  req.mutable_end_date()->set_year(2026);
  req.mutable_end_date()->set_month(13);
  req.mutable_end_date()->set_day(1);
  req.set_max_slots(-1);
  absl::StatusOr<SlotSearch> search = ParseSlotSearch(req);
  EXPECT_EQ(search.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(search.status()),
              ElementsAre("appointment_type", "locations[0]", "locations[2]",
                          "therapist", "start_date", "end_date", "max_slots"));
  EXPECT_TRUE(absl::StartsWith(search.status().message(),
                               "appointment_type: must look like "
                               "appointmentTypes/{uuid}; locations[0]: "))
      << search.status().message();
}

TEST(ParseSlotSearchTest, OneInvalidFieldReadsAsToday) {
  auto refused = [](auto spoil) {
    v1::FindAvailableSlotsRequest req = ValidRequest();
    spoil(req);
    return std::string(ParseSlotSearch(req).status().message());
  };
  EXPECT_EQ(refused([](auto& r) { r.clear_locations(); }),
            "locations: at least one is required");
  EXPECT_EQ(refused([](auto& r) {
              for (int i = 0; i < kMaxLocations; ++i) r.add_locations(kHere);
            }),
            "locations: at most 20");
  EXPECT_EQ(refused([](auto& r) { r.clear_start_date(); }),
            "start_date: is required");
  EXPECT_EQ(refused([](auto& r) { r.clear_end_date(); }),
            "end_date: is required");
  EXPECT_EQ(refused([](auto& r) {
              *r.mutable_end_date() = FromCivilDay(absl::CivilDay(2026, 3, 1));
            }),
            "end_date: must not be before start_date");
  EXPECT_EQ(refused([](auto& r) {
              *r.mutable_end_date() = FromCivilDay(absl::CivilDay(2026, 6, 30));
            }),
            "end_date: at most 90 days after start_date (asked for 119)");
  EXPECT_EQ(refused([](auto& r) { r.set_max_slots(-1); }),
            "max_slots: must not be negative");
}

TEST(ParseSlotSearchTest, NormalizesAValidRequest) {
  v1::FindAvailableSlotsRequest req = ValidRequest();
  req.add_locations(kThere);
  req.add_locations("locations/AAAAAAAA-1111-4111-8111-111111111111");
  req.set_therapist("staff/22222222-2222-4222-8222-222222222222");
  absl::StatusOr<SlotSearch> search = ParseSlotSearch(req);
  ASSERT_TRUE(search.ok()) << search.status();
  EXPECT_EQ(search->type_id, "cccccccc-1111-4111-8111-111111111111");
  EXPECT_THAT(search->location_ids,
              ElementsAre("aaaaaaaa-1111-4111-8111-111111111111",
                          "bbbbbbbb-1111-4111-8111-111111111111"));
  EXPECT_EQ(search->therapist, kBob);
  EXPECT_EQ(search->first_day, absl::CivilDay(2026, 3, 3));
  EXPECT_EQ(search->last_day, absl::CivilDay(2026, 3, 10));
  EXPECT_EQ(search->max_slots, kDefaultMaxSlots);
  req.set_max_slots(7);
  EXPECT_EQ(ParseSlotSearch(req)->max_slots, 7);
  req.set_max_slots(kMaxSlots + 1);
  EXPECT_EQ(ParseSlotSearch(req)->max_slots, kMaxSlots);
}

TEST(CheckSearchableTypeTest, RetiredOrNotOnline) {
  v1::AppointmentType t = Type();
  EXPECT_TRUE(CheckSearchableType(t, /*online=*/true).ok());
  t.set_bookable_online(false);
  EXPECT_TRUE(CheckSearchableType(t, /*online=*/false).ok());
  absl::Status s = CheckSearchableType(t, /*online=*/true);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "appointment_type: Follow-up cannot be booked online");
  t.set_active(false);
  s = CheckSearchableType(t, /*online=*/false);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "appointment_type: Follow-up is retired");
}

TEST(BusyWindowTest, SpansTheDaysInEveryZonePlusBuffers) {
  const std::vector<SearchLocation> locations = {
      Place(kHere, kDenver), Place(kThere, "America/New_York")};
  const slots::Interval w = BusyWindow(locations, absl::CivilDay(2026, 3, 3),
                                       absl::CivilDay(2026, 3, 4));
  // Midnight in New York comes first; the end of the 4th in Denver last.
  EXPECT_EQ(w.start, absl::FromCivil(absl::CivilSecond(2026, 3, 3),
                                     Zone("America/New_York")) -
                         absl::Hours(26));
  EXPECT_EQ(w.end,
            absl::FromCivil(absl::CivilSecond(2026, 3, 5), Zone(kDenver)) +
                absl::Hours(26));
}

TEST(EligibleTherapistsTest, ByCredentials) {
  v1::AppointmentType t = Type();
  ScheduleRecord ann = Schedule(kAnn, {kHere});
  ann.credentials = std::vector<std::string>{"pt"};
  ScheduleRecord bob = Schedule(kBob, {kHere});
  bob.credentials = std::vector<std::string>{"OT"};
  ScheduleRecord unknown =
      Schedule("staff/33333333-3333-4333-8333-333333333333", {kHere});
  // Anyone may deliver a type without allowed credentials.
  EXPECT_THAT(EligibleTherapists(t, {ann, bob, unknown}),
              ElementsAre(kAnn, kBob, unknown.therapist));
  t.add_allowed_credentials("PT");
  EXPECT_THAT(EligibleTherapists(t, {ann, bob, unknown}),
              ElementsAre(kAnn, unknown.therapist));
}

TEST(OpenSlotsTest, SortedByStartTherapistLocationAndCapped) {
  const std::vector<SearchLocation> locations = {Place(kThere, kDenver),
                                                 Place(kHere, kDenver)};
  // Bob first, and only at one location.
  const std::vector<ScheduleRecord> schedules = {
      Schedule(kBob, {kThere, kHere}), Schedule(kAnn, {kHere})};
  const absl::Time now = Local(3, 1, 8);
  std::vector<v1::Slot> found =
      OpenSlots(Days(3, 3, 6), Type(), locations, schedules, {}, now, false);
  EXPECT_THAT(Describe(found),
              ElementsAre("1 a 2026-03-03T09:00", "2 a 2026-03-03T09:00",
                          "2 b 2026-03-03T09:00", "1 a 2026-03-03T10:00",
                          "2 a 2026-03-03T10:00", "2 b 2026-03-03T10:00"));
  const v1::Slot& first = found[0];
  EXPECT_EQ(first.therapist(), kAnn);
  EXPECT_EQ(first.location(), kHere);
  EXPECT_EQ(first.appointment_type(), kType);
  EXPECT_EQ(FromProto(first.start_time()), Local(3, 3, 9));
  EXPECT_EQ(FromProto(first.end_time()), Local(3, 3, 10));
  EXPECT_EQ(first.time_zone(), kDenver);

  // Without the cap: three starts a day, for each therapist and location.
  found = OpenSlots(Days(3, 4), Type(), locations, schedules, {}, now, false);
  EXPECT_EQ(found.size(), 2u * 3u * 3u);
  EXPECT_TRUE(std::is_sorted(
      found.begin(), found.end(), [](const v1::Slot& a, const v1::Slot& b) {
        return FromProto(a.start_time()) < FromProto(b.start_time());
      }));
}

TEST(OpenSlotsTest, OnlineLimitsApplyOnlyToOnlineCallers) {
  const std::vector<SearchLocation> locations = {Place(kHere, kDenver)};
  const std::vector<ScheduleRecord> schedules = {Schedule(kAnn, {kHere})};
  // Monday 2 March, 10:00: 48 hours' notice, at most 5 days ahead.
  const absl::Time now = Local(3, 2, 10);
  const std::vector<v1::Slot> staff =
      OpenSlots(Days(2, 10), Type(), locations, schedules, {}, now, false);
  const std::vector<v1::Slot> online =
      OpenSlots(Days(2, 10), Type(), locations, schedules, {}, now, true);
  // Staff: from now (not 09:00 today) to the last day searched.
  ASSERT_FALSE(staff.empty());
  EXPECT_EQ(staff.front().local_start(), "2026-03-02T10:00");
  EXPECT_EQ(staff.back().local_start(), "2026-03-10T11:00");
  // Online: from 4 March 10:00 to before 7 March 10:00.
  ASSERT_FALSE(online.empty());
  EXPECT_EQ(online.front().local_start(), "2026-03-04T10:00");
  EXPECT_EQ(online.back().local_start(), "2026-03-07T09:00");
  EXPECT_LT(online.size(), staff.size());
}

TEST(OpenSlotsTest, TherapistWithoutTheCredentialsIsExcluded) {
  v1::AppointmentType t = Type();
  t.add_allowed_credentials("PT");
  ScheduleRecord ann = Schedule(kAnn, {kHere});
  ann.credentials = std::vector<std::string>{"OT"};
  ScheduleRecord bob = Schedule(kBob, {kHere});  // credentials unknown
  const std::vector<v1::Slot> found =
      OpenSlots(Days(3, 3), t, {Place(kHere, kDenver)}, {ann, bob}, {},
                Local(3, 1, 8), false);
  EXPECT_THAT(Describe(found),
              ElementsAre("2 a 2026-03-03T09:00", "2 a 2026-03-03T10:00",
                          "2 a 2026-03-03T11:00"));
}

TEST(OpenSlotsTest, BusyTimeRemovesSlotsWithBuffers) {
  const std::vector<ScheduleRecord> schedules = {Schedule(kAnn, {kHere}),
                                                 Schedule(kBob, {kHere})};
  // Ann is busy 10:30-10:45: the 09:00 slot's buffer runs to 10:15, so only
  // 10:00 goes; Bob is busy at 08:00-08:30, which takes nothing.
  BusyMap busy;
  busy[kAnn] = {{Local(3, 3, 10, 30), Local(3, 3, 10, 45)}};
  busy[kBob] = {{Local(3, 3, 8), Local(3, 3, 8, 30)}};
  const std::vector<v1::Slot> found =
      OpenSlots(Days(3, 3), Type(), {Place(kHere, kDenver)}, schedules, busy,
                Local(3, 1, 8), false);
  EXPECT_THAT(Describe(found),
              ElementsAre("1 a 2026-03-03T09:00", "2 a 2026-03-03T09:00",
                          "2 a 2026-03-03T10:00", "1 a 2026-03-03T11:00",
                          "2 a 2026-03-03T11:00"));
  // A day in the past: nothing.
  EXPECT_THAT(OpenSlots(Days(3, 3), Type(), {Place(kHere, kDenver)}, schedules,
                        busy, Local(3, 4, 8), false),
              IsEmpty());
}

}  // namespace
}  // namespace clinic::appointments
