#include "services/appointments/slots/slots.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clinic::appointments::slots {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr absl::Weekday kMon = absl::Weekday::monday;
constexpr absl::Weekday kTue = absl::Weekday::tuesday;
constexpr absl::Weekday kSat = absl::Weekday::saturday;

// A Monday in June (no daylight-saving change near it).
const absl::CivilDay kMonday(2026, 6, 15);
const absl::CivilDay kTuesday(2026, 6, 16);
const absl::CivilDay kSaturday(2026, 6, 20);

constexpr int H(int hour, int minute = 0) { return hour * 60 + minute; }

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

// Monday 09:00-17:00 at a location open Monday 07:00-20:00, New York, a
// 15-minute grid and a 60-minute appointment.
SlotRules MondayRules() {
  SlotRules rules;
  rules.zone = Zone("America/New_York");
  rules.slot_minutes = 15;
  rules.duration = absl::Minutes(60);
  rules.opening_hours = {{kMon, H(7), H(20)}};
  rules.working_hours = {{kMon, H(9), H(17)}};
  return rules;
}

absl::Time At(const SlotRules& rules, absl::CivilDay day, int minute) {
  return rules.zone.At(absl::CivilSecond(day) + minute * 60).pre;
}

// "HH:MM" local times of the starts (the test days have no DST change).
std::vector<std::string> LocalTimes(const SlotRules& rules,
                                    const std::vector<absl::Time>& starts) {
  std::vector<std::string> out;
  for (absl::Time t : starts) {
    const absl::CivilSecond cs = absl::ToCivilSecond(t, rules.zone);
    out.push_back(absl::StrFormat("%02d:%02d", cs.hour(), cs.minute()));
  }
  return out;
}

// "HH:MM" from `first` to `last` inclusive, every `step` minutes.
std::vector<std::string> Range(int first, int last, int step = 15) {
  std::vector<std::string> out;
  for (int m = first; m <= last; m += step) {
    out.push_back(absl::StrFormat("%02d:%02d", m / 60, m % 60));
  }
  return out;
}

std::vector<std::string> Concat(std::vector<std::string> a,
                                const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<std::string> Day(const SlotRules& rules, absl::CivilDay day) {
  return LocalTimes(rules, OpenStarts(rules, day, day));
}

TEST(OpenStartsTest, TestDaysAreTheWeekdaysTheyClaim) {
  EXPECT_EQ(absl::GetWeekday(kMonday), kMon);
  EXPECT_EQ(absl::GetWeekday(kTuesday), kTue);
  EXPECT_EQ(absl::GetWeekday(kSaturday), kSat);
}

TEST(OpenStartsTest, PlainWeekdayOffersEveryGridStartThatFits) {
  const SlotRules rules = MondayRules();
  const std::vector<absl::Time> starts = OpenStarts(rules, kMonday, kMonday);
  EXPECT_EQ(LocalTimes(rules, starts), Range(H(9), H(16)));
  ASSERT_EQ(starts.size(), 29u);
  EXPECT_EQ(starts.front(),
            absl::FromCivil(absl::CivilSecond(2026, 6, 15, 9), rules.zone));
  // A day without working hours offers nothing.
  EXPECT_THAT(Day(rules, kTuesday), IsEmpty());
}

TEST(OpenStartsTest, GridCountsFromMidnightNotFromTheIntervalStart) {
  SlotRules rules = MondayRules();
  rules.slot_minutes = 60;
  rules.duration = absl::Minutes(30);
  rules.working_hours = {{kMon, H(9, 30), H(12)}};
  EXPECT_THAT(Day(rules, kMonday), ElementsAre("10:00", "11:00"));
}

TEST(OpenStartsTest, DurationThatIsNotWholeMinutes) {
  SlotRules rules = MondayRules();
  rules.duration = absl::Minutes(45) + absl::Seconds(30);
  // 16:15 + 45:30 = 17:00:30, past 17:00.
  EXPECT_EQ(Day(rules, kMonday), Range(H(9), H(16)));
}

TEST(OpenStartsTest, WorkingUntilMidnight) {
  SlotRules rules = MondayRules();
  rules.opening_hours = {{kMon, 0, 1440}};
  rules.working_hours = {{kMon, H(20), 1440}};
  EXPECT_EQ(Day(rules, kMonday), Range(H(20), H(23)));
}

TEST(OpenStartsTest, BreakRemovesOverlappingStarts) {
  SlotRules rules = MondayRules();
  rules.breaks = {{kMon, H(12), H(13)}};
  // 11:00 ends at 12:00 (fits); 11:15..12:45 overlap the break; 13:00 fits.
  EXPECT_EQ(Day(rules, kMonday),
            Concat(Range(H(9), H(11)), Range(H(13), H(16))));
}

TEST(OpenStartsTest, BreakOnAnotherWeekdayDoesNothing) {
  SlotRules rules = MondayRules();
  rules.breaks = {{kTue, H(12), H(13)}};
  EXPECT_EQ(Day(rules, kMonday), Range(H(9), H(16)));
}

TEST(OpenStartsTest, WholeDayTimeOff) {
  SlotRules rules = MondayRules();
  rules.time_off = {{kMonday, 0, 1440}};
  EXPECT_THAT(Day(rules, kMonday), IsEmpty());
  // Only that date: the next Monday is normal.
  EXPECT_EQ(Day(rules, kMonday + 7), Range(H(9), H(16)));
}

TEST(OpenStartsTest, PartialTimeOff) {
  SlotRules rules = MondayRules();
  rules.time_off = {{kMonday, H(14), H(15, 30)}};
  // 13:00 ends at 14:00; 15:30 starts when the time off ends.
  EXPECT_EQ(Day(rules, kMonday),
            Concat(Range(H(9), H(13)), Range(H(15, 30), H(16))));
}

TEST(OpenStartsTest, TimeOffWinsOverExtraHours) {
  SlotRules rules = MondayRules();
  rules.extra_hours = {{kMonday, H(17), H(19)}};
  rules.time_off = {{kMonday, H(16), H(20)}};
  EXPECT_EQ(Day(rules, kMonday), Range(H(9), H(15)));
}

TEST(OpenStartsTest, ExtraHoursOnASaturday) {
  SlotRules rules = MondayRules();
  rules.opening_hours.push_back({kSat, H(9), H(14)});
  rules.extra_hours = {{kSaturday, H(10), H(13)}};
  EXPECT_EQ(Day(rules, kSaturday), Range(H(10), H(12)));
  // Only that Saturday.
  EXPECT_THAT(Day(rules, kSaturday + 7), IsEmpty());
}

TEST(OpenStartsTest, ExtraHoursNeedTheLocationOpen) {
  SlotRules rules = MondayRules();  // closed on Saturdays
  rules.extra_hours = {{kSaturday, H(10), H(13)}};
  EXPECT_THAT(Day(rules, kSaturday), IsEmpty());
}

TEST(OpenStartsTest, ExtraHoursExtendAWeekdayUpToOpeningHours) {
  SlotRules rules = MondayRules();
  // 09-17 ∪ 16-21 = 09-21, clipped to the 20:00 closing.
  rules.extra_hours = {{kMonday, H(16), H(21)}};
  EXPECT_EQ(Day(rules, kMonday), Range(H(9), H(19)));
}

TEST(OpenStartsTest, TouchingWorkingIntervalsAreOneInterval) {
  SlotRules rules = MondayRules();
  rules.working_hours = {{kMon, H(12), H(17)}, {kMon, H(9), H(12)}};
  // 11:30-12:30 spans both entries.
  EXPECT_EQ(Day(rules, kMonday), Range(H(9), H(16)));
}

TEST(OpenStartsTest, AppointmentMustFitOneInterval) {
  SlotRules rules = MondayRules();
  rules.working_hours = {{kMon, H(9), H(10, 30)}, {kMon, H(11), H(12)}};
  EXPECT_THAT(Day(rules, kMonday),
              ElementsAre("09:00", "09:15", "09:30", "11:00"));
}

TEST(OpenStartsTest, OpeningHoursClipWorkingHours) {
  SlotRules rules = MondayRules();
  rules.opening_hours = {{kMon, H(10), H(16)}};
  EXPECT_EQ(Day(rules, kMonday), Range(H(10), H(15)));
}

TEST(OpenStartsTest, WeekdayWithoutOpeningHoursIsClosed) {
  SlotRules rules = MondayRules();
  rules.working_hours.push_back({kTue, H(9), H(17)});
  EXPECT_EQ(Day(rules, kMonday), Range(H(9), H(16)));
  EXPECT_THAT(Day(rules, kTuesday), IsEmpty());
}

TEST(OpenStartsTest, Closures) {
  SlotRules rules = MondayRules();
  rules.closures = {kMonday};
  rules.extra_hours = {{kMonday, H(17), H(19)}};  // the closure wins
  EXPECT_THAT(Day(rules, kMonday), IsEmpty());
  EXPECT_EQ(Day(rules, kMonday + 7), Range(H(9), H(16)));
}

TEST(OpenStartsTest, BusyAppointmentWithItsOwnBufferAfter) {
  SlotRules rules = MondayRules();
  // An existing 10:00-11:00 appointment whose type keeps 15 minutes free
  // after it: busy [10:00, 11:15).
  rules.busy = {{At(rules, kMonday, H(10)), At(rules, kMonday, H(11, 15))}};
  // New type, no buffers: 09:00 ends exactly at 10:00 (half-open, fits);
  // 09:15..11:00 overlap; 11:15 starts when the busy interval ends.
  EXPECT_EQ(Day(rules, kMonday), Concat({"09:00"}, Range(H(11, 15), H(16))));
}

TEST(OpenStartsTest, BusyWithTheNewTypesBuffers) {
  SlotRules rules = MondayRules();
  rules.busy = {{At(rules, kMonday, H(10)), At(rules, kMonday, H(11, 15))}};
  rules.buffer_before = absl::Minutes(15);
  rules.buffer_after = absl::Minutes(10);
  // A start s blocks [s - 15, s + 70). It overlaps [10:00, 11:15) when
  // s + 70 > 10:00 (s > 08:50) and s - 15 < 11:15 (s < 11:30): 09:00 ..
  // 11:15 are blocked, 11:30 is the first free start. Buffers may reach
  // outside working hours: 16:00 blocks until 17:10.
  EXPECT_EQ(Day(rules, kMonday), Range(H(11, 30), H(16)));

  // buffer_before alone: 11:15 would need [11:00, ...) free.
  rules.buffer_after = absl::ZeroDuration();
  EXPECT_EQ(Day(rules, kMonday), Concat({"09:00"}, Range(H(11, 30), H(16))));
}

TEST(OpenStartsTest, ManyUnsortedOverlappingBusyIntervals) {
  SlotRules rules = MondayRules();
  rules.busy = {
      {At(rules, kMonday, H(14)), At(rules, kMonday, H(14, 30))},
      {At(rules, kMonday, H(9, 30)), At(rules, kMonday, H(10))},
      {At(rules, kMonday, H(9, 45)), At(rules, kMonday, H(11))},  // overlaps
      {At(rules, kMonday, H(10, 30)), At(rules, kMonday, H(10, 45))},
      {At(rules, kMonday, H(16)), At(rules, kMonday, H(15))},  // empty: ignored
      // Other days do not matter.
      {At(rules, kMonday - 1, H(9)), At(rules, kMonday - 1, H(17))},
  };
  // Busy 09:30-11:00 and 14:00-14:30.
  EXPECT_EQ(Day(rules, kMonday),
            Concat(Range(H(11), H(13)), Range(H(14, 30), H(16))));
}

TEST(OpenStartsTest, NotBeforeAndNotAfter) {
  SlotRules rules = MondayRules();
  rules.not_before = At(rules, kMonday, H(10, 7));
  rules.not_after = At(rules, kMonday, H(15));
  // 15:00 is "at not_after": excluded.
  EXPECT_EQ(Day(rules, kMonday), Range(H(10, 15), H(14, 45)));

  rules.not_before = At(rules, kMonday, H(10));  // inclusive
  rules.not_after = At(rules, kMonday, H(10)) + absl::Seconds(1);
  EXPECT_THAT(Day(rules, kMonday), ElementsAre("10:00"));

  // A not_before far in the future: nothing in range, and it returns at
  // once.
  rules.not_before = At(rules, kMonday + 100000, 0);
  rules.not_after = absl::InfiniteFuture();
  EXPECT_THAT(OpenStarts(rules, kMonday, kMonday + 7), IsEmpty());
}

TEST(OpenStartsTest, MaxSlotsKeepsTheEarliest) {
  SlotRules rules = MondayRules();
  const std::vector<absl::Time> all = OpenStarts(rules, kMonday, kMonday + 27);
  ASSERT_EQ(all.size(), 4u * 29u);  // four Mondays
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(std::set<absl::Time>(all.begin(), all.end()).size(), all.size());

  const std::vector<absl::Time> five =
      OpenStarts(rules, kMonday, kMonday + 27, 5);
  EXPECT_EQ(five, std::vector<absl::Time>(all.begin(), all.begin() + 5));
  const std::vector<absl::Time> forty =
      OpenStarts(rules, kMonday, kMonday + 27, 40);
  EXPECT_EQ(forty, std::vector<absl::Time>(all.begin(), all.begin() + 40));
  EXPECT_THAT(OpenStarts(rules, kMonday, kMonday + 27, 0), IsEmpty());
  EXPECT_THAT(OpenStarts(rules, kMonday, kMonday + 27, -3), IsEmpty());
  // The default is 2000.
  EXPECT_EQ(OpenStarts(rules, kMonday, kMonday + 7 * 100).size(), 2000u);
}

TEST(OpenStartsTest, DaysInRangeOnly) {
  SlotRules rules = MondayRules();
  EXPECT_THAT(OpenStarts(rules, kTuesday, kMonday + 6), IsEmpty());
  EXPECT_THAT(OpenStarts(rules, kMonday + 1, kMonday), IsEmpty());  // reversed
  EXPECT_EQ(OpenStarts(rules, kMonday - 1, kMonday + 1).size(), 29u);
}

TEST(OpenStartsTest, InvalidInputsGiveNoSlots) {
  for (int slot_minutes : {0, -15, 7, 1441, 2880}) {
    SlotRules rules = MondayRules();
    rules.slot_minutes = slot_minutes;
    EXPECT_THAT(OpenStarts(rules, kMonday, kMonday), IsEmpty()) << slot_minutes;
    EXPECT_FALSE(IsOpenStart(rules, At(rules, kMonday, H(9))));
  }
  for (absl::Duration duration :
       {absl::Minutes(-30), absl::ZeroDuration(), absl::InfiniteDuration(),
        -absl::InfiniteDuration()}) {
    SlotRules rules = MondayRules();
    rules.duration = duration;
    EXPECT_THAT(OpenStarts(rules, kMonday, kMonday), IsEmpty()) << duration;
    EXPECT_FALSE(IsOpenStart(rules, At(rules, kMonday, H(9))));
  }
  // Longer than any day: nothing, and no endless walk over a long range.
  SlotRules rules = MondayRules();
  rules.duration = absl::Hours(25);
  EXPECT_THAT(OpenStarts(rules, kMonday, absl::CivilDay(999999, 1, 1)),
              IsEmpty());
}

TEST(OpenStartsTest, MalformedIntervalsDoNotCrash) {
  SlotRules rules = MondayRules();
  rules.working_hours = {{kMon, H(17), H(9)},     // reversed: ignored
                         {kMon, -600, H(9, 30)},  // clamped to 00:00-09:30
                         {kMon, H(16), 5000},     // clamped to 16:00-24:00
                         {static_cast<absl::Weekday>(42), H(9), H(17)}};
  rules.opening_hours.push_back({static_cast<absl::Weekday>(-1), 0, 1440});
  rules.time_off = {{kMonday, H(20), H(19)}};
  rules.breaks = {{kMon, -5, -1}};
  // 07:00-09:30 and 16:00-20:00 (opening).
  EXPECT_EQ(Day(rules, kMonday),
            Concat(Range(H(7), H(8, 30)), Range(H(16), H(19))));
}

TEST(OpenStartsTest, NoWorkingPatternOnlyExtraDaysOverAHugeRange) {
  SlotRules rules = MondayRules();
  rules.working_hours.clear();
  rules.extra_hours = {{kMonday + 7, H(9), H(11)},
                       {kMonday, H(9), H(10)},
                       {kMonday, H(14), H(15)},
                       {absl::CivilDay(3000, 1, 6), H(9), H(10)}};  // a Monday
  ASSERT_EQ(absl::GetWeekday(absl::CivilDay(3000, 1, 6)), kMon);
  const std::vector<absl::Time> starts =
      OpenStarts(rules, kMonday, absl::CivilDay(999999, 12, 31));
  ASSERT_EQ(starts.size(), 2u + 5u + 1u);
  EXPECT_EQ(starts[0], At(rules, kMonday, H(9)));
  EXPECT_EQ(starts[1], At(rules, kMonday, H(14)));
  EXPECT_EQ(starts[2], At(rules, kMonday + 7, H(9)));
  EXPECT_EQ(starts[7], At(rules, absl::CivilDay(3000, 1, 6), H(9)));
}

TEST(OpenStartsTest, LongBusyStretchIsJumpedOver) {
  SlotRules rules = MondayRules();
  // Busy for ten thousand years from kMonday 12:00.
  rules.busy = {{At(rules, kMonday, H(12)),
                 At(rules, absl::CivilDay(12026, 6, 15), H(12))}};
  const std::vector<absl::Time> starts =
      OpenStarts(rules, kMonday, absl::CivilDay(12026, 12, 31), 40);
  ASSERT_EQ(starts.size(), 40u);
  EXPECT_EQ(starts[0], At(rules, kMonday, H(9)));
  EXPECT_EQ(starts[8], At(rules, kMonday, H(11)));  // ends at 12:00
  const absl::CivilDay resume = absl::ToCivilDay(starts[9], rules.zone);
  EXPECT_GE(resume, absl::CivilDay(12026, 6, 15));
  EXPECT_GE(starts[9], rules.busy[0].end);

  // Busy for ever.
  rules.busy = {{absl::InfinitePast(), absl::InfiniteFuture()}};
  EXPECT_THAT(OpenStarts(rules, kMonday, absl::CivilDay(999999, 12, 31)),
              IsEmpty());
}

TEST(IsOpenStartTest, OffGridAndOffHoursStarts) {
  const SlotRules rules = MondayRules();
  EXPECT_TRUE(IsOpenStart(rules, At(rules, kMonday, H(9))));
  EXPECT_TRUE(IsOpenStart(rules, At(rules, kMonday, H(16))));
  EXPECT_FALSE(IsOpenStart(rules, At(rules, kMonday, H(16, 15))));  // too late
  EXPECT_FALSE(IsOpenStart(rules, At(rules, kMonday, H(9, 5))));    // off grid
  EXPECT_FALSE(
      IsOpenStart(rules, At(rules, kMonday, H(9)) + absl::Seconds(30)));
  EXPECT_FALSE(
      IsOpenStart(rules, At(rules, kMonday, H(9)) + absl::Nanoseconds(1)));
  EXPECT_FALSE(IsOpenStart(rules, At(rules, kMonday, H(8, 45))));
  EXPECT_FALSE(IsOpenStart(rules, At(rules, kTuesday, H(9))));
  EXPECT_FALSE(IsOpenStart(rules, absl::InfinitePast()));
  EXPECT_FALSE(IsOpenStart(rules, absl::InfiniteFuture()));
}

// A day with a bit of everything, for the agreement property.
SlotRules BusyMondayRules() {
  SlotRules rules = MondayRules();
  rules.slot_minutes = 10;
  rules.duration = absl::Minutes(50);
  rules.buffer_before = absl::Minutes(5);
  rules.buffer_after = absl::Minutes(10);
  rules.working_hours.push_back({kMon, H(18), H(22)});  // clipped at 20:00
  rules.breaks = {{kMon, H(12), H(12, 45)}};
  rules.time_off = {{kMonday, H(15, 20), H(15, 50)}};
  rules.extra_hours = {{kMonday, H(7), H(8, 10)}};
  rules.busy = {
      {At(rules, kMonday, H(10, 5)), At(rules, kMonday, H(10, 40))},
      {At(rules, kMonday, H(13, 30)), At(rules, kMonday, H(13, 35))},
  };
  rules.not_before = At(rules, kMonday, H(7, 3));
  rules.not_after = At(rules, kMonday, H(19, 10));
  return rules;
}

TEST(IsOpenStartTest, AgreesWithOpenStartsForEveryMinuteOfASampleDay) {
  for (const SlotRules& rules : {MondayRules(), BusyMondayRules()}) {
    const std::vector<absl::Time> offered =
        OpenStarts(rules, kMonday - 1, kMonday + 1);
    ASSERT_FALSE(offered.empty());
    const std::set<absl::Time> offered_set(offered.begin(), offered.end());
    int checked = 0;
    int open = 0;
    // Every minute (so every grid minute and everything between) from
    // 22:00 the day before to 02:00 the day after.
    for (absl::Time t = At(rules, kMonday - 1, H(22));
         t < At(rules, kMonday + 1, H(2)); t += absl::Minutes(1)) {
      const bool is_open = IsOpenStart(rules, t);
      EXPECT_EQ(is_open, offered_set.count(t) == 1)
          << absl::FormatTime(t, rules.zone);
      ++checked;
      open += is_open;
    }
    EXPECT_EQ(open, static_cast<int>(offered.size()));
    EXPECT_EQ(checked, 28 * 60);
  }
}

TEST(IsOpenStartTest, BusyMondayIsWhatTheRulesSay) {
  const SlotRules rules = BusyMondayRules();
  // Extra 07:00-08:10 and weekly 09:00-17:00 plus 18:00-20:00 (opening),
  // minus the 12:00-12:45 break and 15:20-15:50 time off; 50-minute
  // appointments on a 10-minute grid; [s - 5, s + 60) must miss busy
  // 10:05-10:40 and 13:30-13:35; starts in [07:03, 19:10).
  std::vector<std::string> expected = {"07:10", "07:20"};
  for (const char* s :
       {"09:00", "10:50", "11:00", "11:10", "13:40", "13:50", "14:00",
        "14:10", "14:20", "14:30", "15:50", "16:00", "16:10", "18:00",
        "18:10", "18:20", "18:30", "18:40", "18:50", "19:00"}) {
    expected.push_back(s);
  }
  EXPECT_EQ(Day(rules, kMonday), expected);
}

}  // namespace
}  // namespace clinic::appointments::slots
