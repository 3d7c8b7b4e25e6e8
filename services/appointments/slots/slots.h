// Slot computation: which appointment starts a therapist can offer at one
// location. Pure: no I/O, no clock; everything comes in the input.
//
// Local wall-clock rules (weekly hours, breaks, opening hours, dated
// exceptions, closures) are evaluated per local day in the location's IANA
// zone; every candidate start is a local time on the slot grid (a multiple
// of slot_minutes after local midnight) converted to an instant with
// absl::TimeZone. Daylight saving: a local start that does not exist (the
// skipped hour) is never offered; a local start that exists twice (the
// repeated hour) is offered once, at its first occurrence; a 09:00 rule
// offers 09:00 local on every day, whatever the UTC offset.
#ifndef CLINIC_SERVICES_APPOINTMENTS_SLOTS_SLOTS_H_
#define CLINIC_SERVICES_APPOINTMENTS_SLOTS_SLOTS_H_

#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace clinic::appointments::slots {

// A half-open local interval on a weekday, in minutes after local midnight
// (0 to 1440; start < end).
struct WeeklyInterval {
  absl::Weekday day;
  int start_minute;
  int end_minute;
};

// A half-open local interval on one date, in minutes after local midnight.
// {day, 0, 1440} is the whole day.
struct DatedInterval {
  absl::CivilDay day;
  int start_minute;
  int end_minute;
};

// A half-open interval of instants.
struct Interval {
  absl::Time start;
  absl::Time end;
};

struct SlotRules {
  absl::TimeZone zone;
  // Grid of possible starts, minutes (divides 1440).
  int slot_minutes = 15;
  // The appointment type.
  absl::Duration duration;
  absl::Duration buffer_before;
  absl::Duration buffer_after;

  // The location: opening hours (a weekday without an interval is closed)
  // and closed dates.
  std::vector<WeeklyInterval> opening_hours;
  std::vector<absl::CivilDay> closures;

  // The therapist at this location: weekly working hours and breaks, and
  // dated extra hours and time off (time off wins over everything).
  std::vector<WeeklyInterval> working_hours;
  std::vector<WeeklyInterval> breaks;
  std::vector<DatedInterval> extra_hours;
  std::vector<DatedInterval> time_off;

  // The therapist's existing commitments as instants, each already widened
  // by its own buffers (active appointments anywhere, live holds). A slot's
  // own [start - buffer_before, end + buffer_after) must not overlap any.
  std::vector<Interval> busy;

  // No start before this instant (now, or now + minimum notice).
  absl::Time not_before = absl::InfinitePast();
  // No start at or after this instant (online: now + max days ahead).
  absl::Time not_after = absl::InfiniteFuture();
};

// The open starts on local days first_day..last_day (inclusive), earliest
// first, at most max_slots. A start is offered when [start, start +
// duration) lies inside one working interval of that local day (working
// hours plus extra hours, within opening hours, minus breaks and time off,
// on a day that is not a closure), it is not before not_before nor at or
// after not_after, and its buffered interval overlaps nothing busy.
std::vector<absl::Time> OpenStarts(const SlotRules& rules,
                                   absl::CivilDay first_day,
                                   absl::CivilDay last_day,
                                   int max_slots = 2000);

// True if `start` is one of the starts OpenStarts would offer on its local
// day (the booking check: on the grid, in hours, not busy, ...).
bool IsOpenStart(const SlotRules& rules, absl::Time start);

}  // namespace clinic::appointments::slots

#endif  // CLINIC_SERVICES_APPOINTMENTS_SLOTS_SLOTS_H_
