// Daylight saving: the configured local times are offered on every day,
// never shifted by an offset change; skipped local times are never offered;
// repeated local times are offered once, at their first occurrence.
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/appointments/slots/slots.h"

namespace clinic::appointments::slots {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

constexpr int H(int hour, int minute = 0) { return hour * 60 + minute; }

const char* const kZones[] = {"America/New_York", "Europe/Berlin",
                              "Australia/Sydney", "Australia/Lord_Howe"};
const absl::CivilDay kFirstDay(2025, 1, 1);
const absl::CivilDay kLastDay(2027, 12, 31);

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

bool IsWeekday(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w != absl::Weekday::saturday && w != absl::Weekday::sunday;
}

const absl::Weekday kAllDays[] = {
    absl::Weekday::monday,   absl::Weekday::tuesday, absl::Weekday::wednesday,
    absl::Weekday::thursday, absl::Weekday::friday,  absl::Weekday::saturday,
    absl::Weekday::sunday};

// Working `start`-`end` on Mon-Fri (or every day), open 07:00-20:00 (or
// the working hours, when wider) every day, 15-minute grid, 30-minute
// appointments.
SlotRules Rules(const std::string& zone, int start, int end, bool seven_days,
                absl::Duration duration = absl::Minutes(30)) {
  SlotRules rules;
  rules.zone = Zone(zone);
  rules.slot_minutes = 15;
  rules.duration = duration;
  for (absl::Weekday day : kAllDays) {
    rules.opening_hours.push_back(
        {day, std::min(start, H(7)), std::max(end, H(20))});
    if (seven_days ||
        (day != absl::Weekday::saturday && day != absl::Weekday::sunday)) {
      rules.working_hours.push_back({day, start, end});
    }
  }
  return rules;
}

// Local times with their UTC offset, "01:30-04:00", to tell the two
// occurrences of a repeated time apart.
std::vector<std::string> Local(const SlotRules& rules,
                               const std::vector<absl::Time>& starts) {
  std::vector<std::string> out;
  for (absl::Time t : starts) {
    out.push_back(absl::FormatTime("%H:%M%Ez", t, rules.zone));
  }
  return out;
}

std::vector<absl::Time> Day(const SlotRules& rules, absl::CivilDay day) {
  return OpenStarts(rules, day, day);
}

// Every instant from 23:00 the day before to 01:00 the day after, every 5
// minutes: IsOpenStart says yes exactly for the offered starts.
void ExpectIsOpenStartAgrees(const SlotRules& rules, absl::CivilDay day) {
  const std::vector<absl::Time> offered = OpenStarts(rules, day - 1, day + 1);
  const std::set<absl::Time> offered_set(offered.begin(), offered.end());
  const absl::Time from = rules.zone.At(absl::CivilSecond(day) - 3600).pre;
  const absl::Time to = rules.zone.At(absl::CivilSecond(day + 1) + 3600).pre;
  for (absl::Time t = from; t < to; t += absl::Minutes(5)) {
    EXPECT_EQ(IsOpenStart(rules, t), offered_set.count(t) == 1)
        << rules.zone.name() << " " << absl::FormatTime(t, rules.zone);
  }
}

// The property: 09:00-17:00, open 07:00-20:00, 30-minute
// appointments, 15-minute grid, every day of 2025-2027 in four zones.
TEST(DstPropertyTest, NineToFiveIsNineToFiveOnEveryDay) {
  int64_t zone_days = 0;
  int64_t slots = 0;
  for (bool seven_days : {false, true}) {
    for (const char* zone_name : kZones) {
      const SlotRules rules = Rules(zone_name, H(9), H(17), seven_days);
      // The whole range in one call is the days one by one, concatenated.
      const std::vector<absl::Time> all =
          OpenStarts(rules, kFirstDay, kLastDay, 1000000);
      size_t next = 0;
      for (absl::CivilDay day = kFirstDay; day <= kLastDay; ++day) {
        const std::vector<absl::Time> starts = Day(rules, day);
        const bool working = seven_days || IsWeekday(day);
        std::vector<absl::CivilSecond> expected;
        if (working) {
          for (int m = H(9); m <= H(16, 30); m += 15) {
            expected.push_back(absl::CivilSecond(day) + m * 60);
          }
        }
        std::vector<absl::CivilSecond> local;
        for (absl::Time t : starts) {
          local.push_back(absl::ToCivilSecond(t, rules.zone));
        }
        ASSERT_EQ(local, expected) << zone_name << " " << day;
        for (absl::Time t : starts) {
          ASSERT_LT(next, all.size());
          ASSERT_EQ(all[next++], t) << zone_name << " " << day;
          ASSERT_TRUE(IsOpenStart(rules, t))
              << zone_name << " " << absl::FormatTime(t, rules.zone);
        }
        if (working) {
          // The neighbours of the window are closed.
          ASSERT_FALSE(IsOpenStart(rules, starts.front() - absl::Minutes(15)));
          ASSERT_FALSE(IsOpenStart(rules, starts.back() + absl::Minutes(15)));
        }
        ++zone_days;
        slots += static_cast<int64_t>(starts.size());
      }
      EXPECT_EQ(next, all.size()) << zone_name;
    }
  }
  // 1095 days x 4 zones x 2 variants (Mon-Fri and 7 days).
  EXPECT_EQ(zone_days, 1095 * 4 * 2);
  // Mon-Fri: 783 weekdays; 7 days: 1095 days; 31 starts (09:00..16:30) each.
  EXPECT_EQ(slots, (783 + 1095) * 4 * 31);
  std::cout << "DST property (09:00-17:00): " << zone_days
            << " zone-days checked (1095 days x 4 zones x 2 variants), "
            << slots << " slots checked" << std::endl;
  ::testing::Test::RecordProperty("zone_days", static_cast<int>(zone_days));
  ::testing::Test::RecordProperty("slots", static_cast<int>(slots));
}

// Round the clock, every day of 2025-2027 in the four zones: every local
// grid time that exists is offered exactly once (repeated ones at their
// first occurrence), skipped ones never, and each appointment lasts 30
// minutes of real time.
TEST(DstPropertyTest, RoundTheClockOffersEachExistingLocalTimeOnce) {
  int64_t zone_days = 0;
  int64_t slots = 0;
  int skipped_days = 0;
  int repeated_days = 0;
  for (const char* zone_name : kZones) {
    const SlotRules rules = Rules(zone_name, 0, 1440, true);
    for (absl::CivilDay day = kFirstDay; day <= kLastDay; ++day) {
      const std::vector<absl::Time> starts = Day(rules, day);
      // What should be offered: every grid time 00:00..23:30 that exists,
      // at its first occurrence.
      std::vector<absl::Time> expected;
      bool skipped = false;
      bool repeated = false;
      for (int m = 0; m <= H(23, 30); m += 15) {
        const absl::TimeZone::TimeInfo info =
            rules.zone.At(absl::CivilSecond(day) + m * 60);
        if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) {
          skipped = true;
          continue;
        }
        repeated |= info.kind == absl::TimeZone::TimeInfo::REPEATED;
        expected.push_back(info.pre);
      }
      ASSERT_EQ(starts, expected) << zone_name << " " << day;
      std::set<absl::CivilSecond> distinct_local;
      for (absl::Time t : starts) {
        const absl::CivilSecond local = absl::ToCivilSecond(t, rules.zone);
        ASSERT_EQ(absl::CivilDay(local), day);
        ASSERT_EQ(local.minute() % 15, 0);
        ASSERT_EQ(local.second(), 0);
        ASSERT_TRUE(distinct_local.insert(local).second)
            << zone_name << " " << local << " offered twice";
      }
      // 00:00..23:30 is 95 starts: fewer when some do not exist, never
      // more when some exist twice.
      if (skipped) {
        ASSERT_LT(starts.size(), 95u) << zone_name << " " << day;
      } else {
        ASSERT_EQ(starts.size(), 95u) << zone_name << " " << day;
      }
      if (skipped || repeated) ExpectIsOpenStartAgrees(rules, day);
      skipped_days += skipped;
      repeated_days += repeated;
      ++zone_days;
      slots += static_cast<int64_t>(starts.size());
    }
  }
  // Each zone changes twice a year.
  EXPECT_EQ(skipped_days, 4 * 3);
  EXPECT_EQ(repeated_days, 4 * 3);
  std::cout << "DST property (round the clock): " << zone_days
            << " zone-days checked, " << slots << " slots checked, "
            << skipped_days << " spring-forward and " << repeated_days
            << " fall-back days" << std::endl;
}

// New York, 2026-03-08 (Sunday): 02:00-02:59 does not exist.
const absl::CivilDay kNySpring(2026, 3, 8);
// New York, 2026-11-01 (Sunday): 01:00-01:59 happens twice.
const absl::CivilDay kNyFall(2026, 11, 1);
// Lord Howe, 2026-04-05 (Sunday): 02:00 -> 01:30, 01:30-01:59 twice.
const absl::CivilDay kLhFall(2026, 4, 5);
// Lord Howe, 2026-10-04 (Sunday): 02:00 -> 02:30, 02:00-02:29 missing.
const absl::CivilDay kLhSpring(2026, 10, 4);

TEST(DstEdgeTest, NewYorkSpringForwardNeverOffersTheMissingHour) {
  const SlotRules rules = Rules("America/New_York", 0, H(4), true);
  EXPECT_THAT(
      Local(rules, Day(rules, kNySpring)),
      ElementsAre("00:00-05:00", "00:15-05:00", "00:30-05:00", "00:45-05:00",
                  "01:00-05:00", "01:15-05:00", "01:30-05:00",
                  // 01:45 EST + 30 minutes = 03:15 EDT.
                  "01:45-05:00",
                  // No 02:00, 02:15, 02:30, 02:45.
                  "03:00-04:00", "03:15-04:00", "03:30-04:00"));
  ExpectIsOpenStartAgrees(rules, kNySpring);
  // The missing times do not exist; no offered start reads 02:xx. (Read
  // with the old or the new offset they are 03:xx EDT and 01:xx EST, which
  // are offered as those local times.)
  for (int m : {H(2), H(2, 15), H(2, 30), H(2, 45)}) {
    ASSERT_EQ(rules.zone.At(absl::CivilSecond(kNySpring) + m * 60).kind,
              absl::TimeZone::TimeInfo::SKIPPED);
  }
  for (absl::Time t : Day(rules, kNySpring)) {
    EXPECT_NE(absl::ToCivilHour(t, rules.zone).hour(), 2);
  }
  // 01:00-04:00 is the same without the first hour.
  const SlotRules late = Rules("America/New_York", H(1), H(4), true);
  EXPECT_THAT(
      Local(late, Day(late, kNySpring)),
      ElementsAre("01:00-05:00", "01:15-05:00", "01:30-05:00", "01:45-05:00",
                  "03:00-04:00", "03:15-04:00", "03:30-04:00"));
}

TEST(DstEdgeTest, NewYorkSpringForwardRealDurationMustFit) {
  // 00:00-04:00 is three hours of real time. A 60-minute appointment from
  // 01:30 EST ends 03:30 EDT: inside.
  const SlotRules rules =
      Rules("America/New_York", 0, H(4), true, absl::Minutes(60));
  EXPECT_THAT(Local(rules, Day(rules, kNySpring)),
              ElementsAre("00:00-05:00", "00:15-05:00", "00:30-05:00",
                          "00:45-05:00", "01:00-05:00", "01:15-05:00",
                          "01:30-05:00", "01:45-05:00", "03:00-04:00"));
  // Working until 03:00: the therapist leaves at 03:00 EDT, two hours of
  // real time after midnight. 01:15 EST + 60 = 03:15 EDT, past the end,
  // although 01:15 + 60 = 02:15 local "fits" 00:00-03:00.
  const SlotRules until3 =
      Rules("America/New_York", 0, H(3), true, absl::Minutes(60));
  EXPECT_THAT(Local(until3, Day(until3, kNySpring)),
              ElementsAre("00:00-05:00", "00:15-05:00", "00:30-05:00",
                          "00:45-05:00", "01:00-05:00"));
  ExpectIsOpenStartAgrees(until3, kNySpring);
  // Working until 02:30, which does not exist: the clock jumps past it at
  // 02:00 EST = 03:00 EDT, so that is when work ends. 01:30 + 30 ends
  // exactly then; 01:45 + 30 would end 03:15 EDT.
  const SlotRules until230 = Rules("America/New_York", 0, H(2, 30), true);
  const std::vector<std::string> local =
      Local(until230, Day(until230, kNySpring));
  ASSERT_FALSE(local.empty());
  EXPECT_EQ(local.back(), "01:30-05:00");
  EXPECT_EQ(local.size(), 7u);
}

TEST(DstEdgeTest, NewYorkFallBackOffersTheRepeatedHourOnce) {
  const SlotRules rules = Rules("America/New_York", 0, H(4), true);
  const std::vector<absl::Time> starts = Day(rules, kNyFall);
  EXPECT_THAT(
      Local(rules, starts),
      ElementsAre("00:00-04:00", "00:15-04:00", "00:30-04:00", "00:45-04:00",
                  // First occurrence (EDT) only.
                  "01:00-04:00", "01:15-04:00", "01:30-04:00", "01:45-04:00",
                  "02:00-05:00", "02:15-05:00", "02:30-05:00", "02:45-05:00",
                  "03:00-05:00", "03:15-05:00", "03:30-05:00"));
  // 01:00 EDT is 05:00 UTC.
  EXPECT_EQ(starts[4], absl::FromCivil(absl::CivilSecond(2026, 11, 1, 5),
                                       absl::UTCTimeZone()));
  ExpectIsOpenStartAgrees(rules, kNyFall);
  for (int m : {H(1), H(1, 15), H(1, 30), H(1, 45)}) {
    const absl::TimeZone::TimeInfo info =
        rules.zone.At(absl::CivilSecond(kNyFall) + m * 60);
    ASSERT_EQ(info.kind, absl::TimeZone::TimeInfo::REPEATED);
    EXPECT_TRUE(IsOpenStart(rules, info.pre));    // EDT
    EXPECT_FALSE(IsOpenStart(rules, info.post));  // EST: not a second slot
  }
  // 01:00-04:00.
  const SlotRules late = Rules("America/New_York", H(1), H(4), true);
  EXPECT_THAT(
      Local(late, Day(late, kNyFall)),
      ElementsAre("01:00-04:00", "01:15-04:00", "01:30-04:00", "01:45-04:00",
                  "02:00-05:00", "02:15-05:00", "02:30-05:00", "02:45-05:00",
                  "03:00-05:00", "03:15-05:00", "03:30-05:00"));
}

TEST(DstEdgeTest, NewYorkFallBackSixtyMinutesAtOneThirtyLastsSixtyMinutes) {
  const SlotRules rules =
      Rules("America/New_York", 0, H(4), true, absl::Minutes(60));
  const std::vector<absl::Time> starts = Day(rules, kNyFall);
  const absl::Time start =
      rules.zone.At(absl::CivilSecond(2026, 11, 1, 1, 30)).pre;
  ASSERT_EQ(std::count(starts.begin(), starts.end(), start), 1);
  EXPECT_EQ(absl::FormatTime("%H:%M%Ez", start, rules.zone), "01:30-04:00");
  const absl::Time end = start + rules.duration;
  EXPECT_EQ(end - start, absl::Minutes(60));
  // It ends at 01:30 again, on the second pass (EST), 06:30 UTC.
  EXPECT_EQ(absl::FormatTime("%H:%M%Ez", end, rules.zone), "01:30-05:00");
  EXPECT_EQ(end, absl::FromCivil(absl::CivilSecond(2026, 11, 1, 6, 30),
                                 absl::UTCTimeZone()));
  EXPECT_TRUE(IsOpenStart(rules, start));
  // A busy interval in the second pass of 01:00-01:30 blocks it: the
  // appointment really occupies that hour.
  SlotRules busy = rules;
  busy.busy = {{rules.zone.At(absl::CivilSecond(2026, 11, 1, 1, 10)).post,
                rules.zone.At(absl::CivilSecond(2026, 11, 1, 1, 20)).post}};
  EXPECT_FALSE(IsOpenStart(busy, start));
  // Every offered 60-minute start: 60 real minutes, within 00:00 EDT ..
  // 04:00 EST.
  for (absl::Time t : starts) {
    EXPECT_LE(t + rules.duration,
              rules.zone.At(absl::CivilSecond(2026, 11, 1, 4)).pre);
  }
  // Last start 03:00 (local check: 03:00 + 60 = 04:00).
  EXPECT_EQ(absl::FormatTime("%H:%M%Ez", starts.back(), rules.zone),
            "03:00-05:00");
}

TEST(DstEdgeTest, LordHoweFallBackRepeatsHalfAnHourOnce) {
  const SlotRules rules = Rules("Australia/Lord_Howe", 0, H(4), true);
  std::vector<std::string> expected;
  for (int m = 0; m <= H(3, 30); m += 15) {
    // Until 02:00 +11:00 (the first 01:30 and 01:45 too), then +10:30.
    expected.push_back(absl::StrFormat("%02d:%02d%s", m / 60, m % 60,
                                       m < H(2) ? "+11:00" : "+10:30"));
  }
  EXPECT_THAT(Local(rules, Day(rules, kLhFall)), ElementsAreArray(expected));
  ExpectIsOpenStartAgrees(rules, kLhFall);
  for (int m : {H(1, 30), H(1, 45)}) {
    const absl::TimeZone::TimeInfo info =
        rules.zone.At(absl::CivilSecond(kLhFall) + m * 60);
    ASSERT_EQ(info.kind, absl::TimeZone::TimeInfo::REPEATED);
    EXPECT_EQ(info.post - info.pre, absl::Minutes(30));
    EXPECT_TRUE(IsOpenStart(rules, info.pre));
    EXPECT_FALSE(IsOpenStart(rules, info.post));
  }
  // 01:00 and 01:15 exist once.
  EXPECT_EQ(rules.zone.At(absl::CivilSecond(kLhFall) + H(1, 15) * 60).kind,
            absl::TimeZone::TimeInfo::UNIQUE);
}

TEST(DstEdgeTest, LordHoweSpringForwardSkipsHalfAnHour) {
  const SlotRules rules = Rules("Australia/Lord_Howe", 0, H(4), true);
  std::vector<std::string> expected;
  for (int m = 0; m <= H(3, 30); m += 15) {
    if (m == H(2) || m == H(2, 15)) continue;  // 02:00-02:29 does not exist
    expected.push_back(absl::StrFormat("%02d:%02d%s", m / 60, m % 60,
                                       m < H(2) ? "+10:30" : "+11:00"));
  }
  EXPECT_THAT(Local(rules, Day(rules, kLhSpring)), ElementsAreArray(expected));
  ExpectIsOpenStartAgrees(rules, kLhSpring);
  // A 60-minute appointment from 01:30 ends 03:00 on the clock: inside
  // 00:00-03:00; from 01:45 it would end 03:15.
  const SlotRules until3 =
      Rules("Australia/Lord_Howe", 0, H(3), true, absl::Minutes(60));
  const std::vector<std::string> local = Local(until3, Day(until3, kLhSpring));
  ASSERT_FALSE(local.empty());
  EXPECT_EQ(local.back(), "01:30+10:30");
}

TEST(DstEdgeTest, BerlinChangesAtTwoAndThree) {
  // Berlin springs 02:00 -> 03:00 (2026-03-29) and falls 03:00 -> 02:00
  // (2026-10-25).
  const SlotRules rules = Rules("Europe/Berlin", H(1), H(4), true);
  EXPECT_THAT(
      Local(rules, Day(rules, absl::CivilDay(2026, 3, 29))),
      ElementsAre("01:00+01:00", "01:15+01:00", "01:30+01:00", "01:45+01:00",
                  "03:00+02:00", "03:15+02:00", "03:30+02:00"));
  EXPECT_THAT(
      Local(rules, Day(rules, absl::CivilDay(2026, 10, 25))),
      ElementsAre("01:00+02:00", "01:15+02:00", "01:30+02:00", "01:45+02:00",
                  "02:00+02:00", "02:15+02:00", "02:30+02:00", "02:45+02:00",
                  "03:00+01:00", "03:15+01:00", "03:30+01:00"));
}

TEST(DstEdgeTest, BusyAcrossTheChangeIsComparedInRealTime) {
  // New York spring forward, 00:00-04:00, 30 minutes: busy 01:50 EST to
  // 03:10 EDT (20 real minutes) blocks the starts whose real interval meets
  // it: 01:30 (ends 02:00 EST = 03:00 EDT), 01:45 and 03:00.
  SlotRules rules = Rules("America/New_York", 0, H(4), true);
  rules.busy = {{rules.zone.At(absl::CivilSecond(2026, 3, 8, 1, 50)).pre,
                 rules.zone.At(absl::CivilSecond(2026, 3, 8, 3, 10)).pre}};
  EXPECT_EQ(rules.busy[0].end - rules.busy[0].start, absl::Minutes(20));
  EXPECT_THAT(
      Local(rules, Day(rules, kNySpring)),
      ElementsAre("00:00-05:00", "00:15-05:00", "00:30-05:00", "00:45-05:00",
                  "01:00-05:00", "01:15-05:00", "03:15-04:00", "03:30-04:00"));
}

}  // namespace
}  // namespace clinic::appointments::slots
