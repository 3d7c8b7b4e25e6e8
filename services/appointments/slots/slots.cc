#include "services/appointments/slots/slots.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace clinic::appointments::slots {
namespace {

// Daylight saving, the choices this file makes (the header states the
// first two; the rest follows from "the appointment's real duration must
// lie within working time"):
//
// 1. A grid start in the skipped hour (spring forward) does not exist and
//    is never offered.
// 2. A grid start in the repeated hour (fall back) is offered once, at its
//    first occurrence (TimeZone::TimeInfo::pre). The second occurrence is
//    not on the grid: IsOpenStart rejects it, so a booking made from the
//    offered instant and a booking check agree.
// 3. A working interval [a, b) of local minutes is, in real time, the span
//    from the moment the clock first reads a to the moment the clock first
//    reads b: the therapist comes in when the wall clock says a and goes
//    home when it says b. "The moment the clock first reads b" is b's
//    first occurrence when b is repeated, and the transition instant when b
//    falls in the skipped hour (the clock jumps past b then).
// 4. A start is offered only if BOTH hold:
//    - local: [m, m + duration) lies inside [a, b) in local minutes, and
//    - real: start + duration (instants) is not after the end instant of 3.
//    On a spring-forward day the local interval is shorter in real time; an
//    appointment across the gap ends an hour (Lord Howe: 30 minutes) later
//    on the clock than m + duration, so the real check is the binding one:
//    with 00:00-03:00 a 60-minute start at 01:30 would end at 03:30 on the
//    clock and is not offered. On a fall-back day the local interval is
//    longer in real time; an appointment crossing the repeated hour ends
//    earlier on the clock than m + duration, so the local check is the
//    binding one: it is conservative (a little real working time in the
//    repeated hour may go unused) and never offers an appointment that ends
//    after the therapist has gone home. Every offered appointment lasts
//    exactly `duration` of real time (start + duration is an instant sum).
// 5. Busy overlap, not_before and not_after compare instants.

constexpr int kMinutesPerDay = 24 * 60;

// A half-open interval of local minutes after midnight.
struct Span {
  int start;
  int end;
};
using Spans = std::vector<Span>;

// Clamps to [0, 1440], drops empty spans, sorts and merges overlapping or
// touching spans (the union: 09-12 plus 12-17 is one interval 09-17).
Spans Normalize(Spans spans) {
  Spans clean;
  clean.reserve(spans.size());
  for (Span s : spans) {
    s.start = std::clamp(s.start, 0, kMinutesPerDay);
    s.end = std::clamp(s.end, 0, kMinutesPerDay);
    if (s.start < s.end) clean.push_back(s);
  }
  std::sort(clean.begin(), clean.end(),
            [](const Span& x, const Span& y) { return x.start < y.start; });
  Spans merged;
  for (const Span& s : clean) {
    if (!merged.empty() && s.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, s.end);
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

// Both normalized.
Spans Intersect(const Spans& a, const Spans& b) {
  Spans out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const int start = std::max(a[i].start, b[j].start);
    const int end = std::min(a[i].end, b[j].end);
    if (start < end) out.push_back({start, end});
    if (a[i].end < b[j].end) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

// a minus b, both normalized.
Spans Subtract(const Spans& a, const Spans& b) {
  Spans out;
  size_t j = 0;
  for (const Span& s : a) {
    int cursor = s.start;
    while (j < b.size() && b[j].end <= cursor) ++j;
    size_t k = j;
    while (k < b.size() && b[k].start < s.end) {
      if (b[k].start > cursor) out.push_back({cursor, b[k].start});
      cursor = std::max(cursor, b[k].end);
      ++k;
    }
    if (cursor < s.end) out.push_back({cursor, s.end});
  }
  return out;
}

// absl::Weekday as 0 (Monday) .. 6 (Sunday); -1 if out of range.
int WeekdayIndex(absl::Weekday day) {
  const int index = static_cast<int>(day);
  return index >= 0 && index < 7 ? index : -1;
}

// The instant a local grid start denotes, or false if it does not exist
// (choices 1 and 2 above).
bool StartInstant(const absl::TimeZone& zone, absl::CivilSecond local,
                  absl::Time* start) {
  const absl::TimeZone::TimeInfo info = zone.At(local);
  if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) return false;
  *start = info.pre;  // UNIQUE: all equal; REPEATED: the first occurrence.
  return true;
}

// The moment the clock first reads `local` (choice 3 above).
absl::Time BoundaryInstant(const absl::TimeZone& zone,
                           absl::CivilSecond local) {
  const absl::TimeZone::TimeInfo info = zone.At(local);
  if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) return info.trans;
  return info.pre;
}

absl::CivilSecond LocalMinute(absl::CivilDay day, int minute) {
  return absl::CivilSecond(day) + int64_t{minute} * 60;
}

// Everything OpenStarts and IsOpenStart need, indexed once.
class Engine {
 public:
  explicit Engine(const SlotRules& rules) : rules_(rules) {
    valid_ = rules.slot_minutes > 0 &&
             kMinutesPerDay % rules.slot_minutes == 0 &&
             rules.duration > absl::ZeroDuration() &&
             rules.duration != absl::InfiniteDuration();
    if (!valid_) return;
    // Negative buffers would let a slot eat into a neighbour; treat as 0.
    buffer_before_ = std::max(rules.buffer_before, absl::ZeroDuration());
    buffer_after_ = std::max(rules.buffer_after, absl::ZeroDuration());

    Spans working[7], opening[7], breaks[7];
    for (const WeeklyInterval& w : rules.working_hours) {
      const int d = WeekdayIndex(w.day);
      if (d >= 0) working[d].push_back({w.start_minute, w.end_minute});
    }
    for (const WeeklyInterval& w : rules.opening_hours) {
      const int d = WeekdayIndex(w.day);
      if (d >= 0) opening[d].push_back({w.start_minute, w.end_minute});
    }
    for (const WeeklyInterval& w : rules.breaks) {
      const int d = WeekdayIndex(w.day);
      if (d >= 0) breaks[d].push_back({w.start_minute, w.end_minute});
    }
    for (int d = 0; d < 7; ++d) {
      working_[d] = Normalize(std::move(working[d]));
      opening_[d] = Normalize(std::move(opening[d]));
      breaks_[d] = Normalize(std::move(breaks[d]));
      base_[d] = Subtract(Intersect(working_[d], opening_[d]), breaks_[d]);
      for (const Span& s : base_[d]) {
        if (absl::Minutes(s.end - s.start) >= rules.duration) {
          weekly_can_fit_ = true;
        }
      }
    }

    closures_ = rules.closures;
    std::sort(closures_.begin(), closures_.end());
    closures_.erase(std::unique(closures_.begin(), closures_.end()),
                    closures_.end());

    extra_ = rules.extra_hours;
    time_off_ = rules.time_off;
    const auto by_day = [](const DatedInterval& x, const DatedInterval& y) {
      return x.day < y.day;
    };
    std::sort(extra_.begin(), extra_.end(), by_day);
    std::sort(time_off_.begin(), time_off_.end(), by_day);

    // Busy: drop empty intervals, sort by start, merge. Merged intervals are
    // disjoint and sorted by start and by end, so one binary search answers
    // "does [s, e) overlap anything busy?".
    std::vector<Interval> busy;
    busy.reserve(rules.busy.size());
    for (const Interval& b : rules.busy) {
      if (b.start < b.end) busy.push_back(b);
    }
    std::sort(
        busy.begin(), busy.end(),
        [](const Interval& x, const Interval& y) { return x.start < y.start; });
    for (const Interval& b : busy) {
      if (!busy_.empty() && b.start <= busy_.back().end) {
        busy_.back().end = std::max(busy_.back().end, b.end);
      } else {
        busy_.push_back(b);
      }
    }
  }

  bool valid() const { return valid_; }
  bool weekly_can_fit() const { return weekly_can_fit_; }
  const std::vector<DatedInterval>& extra_hours() const { return extra_; }
  const std::vector<Interval>& busy() const { return busy_; }

  bool IsClosure(absl::CivilDay day) const {
    return std::binary_search(closures_.begin(), closures_.end(), day);
  }

  // The working spans of a local day: (weekly working hours ∪ extra hours)
  // ∩ opening hours − breaks − time off; empty on a closure.
  Spans WorkingSpans(absl::CivilDay day) const {
    if (IsClosure(day)) return {};
    const int d = WeekdayIndex(absl::GetWeekday(day));
    if (d < 0) return {};
    const auto extra = DayRange(extra_, day);
    const auto off = DayRange(time_off_, day);
    if (extra.first == extra.second && off.first == off.second) {
      return base_[d];
    }
    Spans working = working_[d];
    for (auto it = extra.first; it != extra.second; ++it) {
      working.push_back({it->start_minute, it->end_minute});
    }
    Spans time_off;
    for (auto it = off.first; it != off.second; ++it) {
      time_off.push_back({it->start_minute, it->end_minute});
    }
    return Subtract(
        Subtract(Intersect(Normalize(std::move(working)), opening_[d]),
                 breaks_[d]),
        Normalize(std::move(time_off)));
  }

  // The first grid minute at or after `minute`.
  int GridCeil(int minute) const {
    const int g = rules_.slot_minutes;
    return (minute + g - 1) / g * g;
  }

  // Whether the grid start `minute` of `day`, which lies inside `span`
  // locally, is offered; if so sets *start. `span_end` is the span's end
  // instant (BoundaryInstant of its end).
  bool Offered(absl::CivilDay day, const Span& span, absl::Time span_end,
               int minute, absl::Time* start) const {
    // Local fit (choice 4).
    if (absl::Minutes(minute) + rules_.duration > absl::Minutes(span.end)) {
      return false;
    }
    absl::Time t;
    if (!StartInstant(rules_.zone, LocalMinute(day, minute), &t)) return false;
    if (t < rules_.not_before || t >= rules_.not_after) return false;
    const absl::Time end = t + rules_.duration;
    // Real fit (choice 4).
    if (end > span_end) return false;
    if (Busy(t - buffer_before_, end + buffer_after_)) return false;
    *start = t;
    return true;
  }

  // Appends the offered starts of one local day.
  void AppendDay(absl::CivilDay day, std::vector<absl::Time>* out) const {
    for (const Span& span : WorkingSpans(day)) {
      if (absl::Minutes(span.end - span.start) < rules_.duration) continue;
      const absl::Time span_end =
          BoundaryInstant(rules_.zone, LocalMinute(day, span.end));
      for (int m = GridCeil(span.start);
           absl::Minutes(m) + rules_.duration <= absl::Minutes(span.end);
           m += rules_.slot_minutes) {
        absl::Time t;
        if (Offered(day, span, span_end, m, &t)) out->push_back(t);
      }
    }
  }

  // True if [s, e) overlaps a busy interval.
  bool Busy(absl::Time s, absl::Time e) const {
    // The first merged interval that ends after s; it overlaps iff it starts
    // before e.
    auto it = std::upper_bound(
        busy_.begin(), busy_.end(), s,
        [](absl::Time value, const Interval& b) { return value < b.end; });
    return it != busy_.end() && it->start < e;
  }

 private:
  using DatedIt = std::vector<DatedInterval>::const_iterator;
  static std::pair<DatedIt, DatedIt> DayRange(
      const std::vector<DatedInterval>& v, absl::CivilDay day) {
    DatedInterval key{day, 0, 0};
    return std::equal_range(v.begin(), v.end(), key,
                            [](const DatedInterval& x, const DatedInterval& y) {
                              return x.day < y.day;
                            });
  }

  const SlotRules& rules_;
  bool valid_ = false;
  bool weekly_can_fit_ = false;
  absl::Duration buffer_before_;
  absl::Duration buffer_after_;
  Spans working_[7];
  Spans opening_[7];
  Spans breaks_[7];
  Spans base_[7];  // working ∩ opening − breaks, per weekday
  std::vector<absl::CivilDay> closures_;
  std::vector<DatedInterval> extra_;
  std::vector<DatedInterval> time_off_;
  std::vector<Interval> busy_;  // merged
};

}  // namespace

std::vector<absl::Time> OpenStarts(const SlotRules& rules,
                                   absl::CivilDay first_day,
                                   absl::CivilDay last_day, int max_slots) {
  std::vector<absl::Time> out;
  if (max_slots <= 0 || first_day > last_day) return out;
  const Engine engine(rules);
  if (!engine.valid()) return out;

  // Days that cannot hold a start inside [not_before, not_after) are not
  // visited (a day of slack either side for zones whose offset changes).
  if (rules.not_before != absl::InfinitePast()) {
    first_day =
        std::max(first_day, absl::ToCivilDay(rules.not_before, rules.zone) - 1);
  }
  if (rules.not_after != absl::InfiniteFuture()) {
    last_day =
        std::min(last_day, absl::ToCivilDay(rules.not_after, rules.zone) + 1);
  }
  if (first_day > last_day) return out;

  if (!engine.weekly_can_fit()) {
    // No weekday can hold the appointment: only extra-hours days can, so
    // visit only those (a long range of nothing is not walked day by day).
    absl::CivilDay previous = first_day - 1;
    for (const DatedInterval& extra : engine.extra_hours()) {
      if (extra.day < first_day || extra.day == previous) continue;
      if (extra.day > last_day) break;
      previous = extra.day;
      engine.AppendDay(extra.day, &out);
      if (static_cast<int64_t>(out.size()) >= max_slots) break;
    }
  } else {
    const std::vector<Interval>& busy = engine.busy();
    for (absl::CivilDay day = first_day; day <= last_day; ++day) {
      // A busy interval covering this day and the next (e.g. a long leave
      // entered as busy) is jumped over instead of walked day by day.
      const absl::Time day_start =
          BoundaryInstant(rules.zone, absl::CivilSecond(day));
      auto it = std::upper_bound(
          busy.begin(), busy.end(), day_start,
          [](absl::Time value, const Interval& b) { return value < b.end; });
      if (it != busy.end() && it->start <= day_start &&
          it->end - day_start > absl::Hours(72)) {
        const absl::CivilDay resume = absl::ToCivilDay(it->end, rules.zone) - 1;
        if (resume > day) {
          if (resume > last_day) break;
          day = resume;
        }
      }
      engine.AppendDay(day, &out);
      if (static_cast<int64_t>(out.size()) >= max_slots) break;
    }
  }

  // Each (day, grid minute) yields at most one instant and an instant has
  // one local time, so duplicates cannot arise; sort and unique anyway so
  // that the promise holds even for a zone whose clock goes back across
  // midnight.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (static_cast<int64_t>(out.size()) > max_slots) out.resize(max_slots);
  return out;
}

bool IsOpenStart(const SlotRules& rules, absl::Time start) {
  if (start == absl::InfinitePast() || start == absl::InfiniteFuture()) {
    return false;
  }
  const Engine engine(rules);
  if (!engine.valid()) return false;

  const absl::CivilSecond local = absl::ToCivilSecond(start, rules.zone);
  const absl::CivilDay day(local);
  const int64_t seconds = local - absl::CivilSecond(day);
  if (seconds % 60 != 0) return false;
  const int minute = static_cast<int>(seconds / 60);
  if (minute % rules.slot_minutes != 0) return false;
  // The grid start's instant must be `start` itself: this rejects the second
  // occurrence of a repeated time and sub-second offsets.
  absl::Time grid;
  if (!StartInstant(rules.zone, local, &grid) || grid != start) return false;

  for (const Span& span : engine.WorkingSpans(day)) {
    if (minute < span.start || minute >= span.end) continue;
    const absl::Time span_end =
        BoundaryInstant(rules.zone, LocalMinute(day, span.end));
    absl::Time t;
    return engine.Offered(day, span, span_end, minute, &t) && t == start;
  }
  return false;
}

}  // namespace clinic::appointments::slots
