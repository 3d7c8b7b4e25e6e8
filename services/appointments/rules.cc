#include "services/appointments/rules.h"

#include "absl/strings/match.h"
#include "services/appointments/validation.h"

namespace clinic::appointments {

slots::SlotRules BuildRules(const v1::Location& location,
                            const std::string& location_name,
                            absl::TimeZone zone,
                            const v1::AppointmentType& type,
                            const v1::ProviderSchedule& schedule) {
  slots::SlotRules r;
  r.zone = zone;
  r.slot_minutes = location.slot_minutes() > 0 ? location.slot_minutes() : 15;
  r.duration = FromProtoDuration(type.duration());
  r.buffer_before = FromProtoDuration(type.buffer_before());
  r.buffer_after = FromProtoDuration(type.buffer_after());
  for (const v1::OpeningHours& h : location.opening_hours()) {
    r.opening_hours.push_back(
        {ToWeekday(h.day()), MinuteOfDay(h.open()), MinuteOfDay(h.close())});
  }
  for (const v1::Closure& c : location.closures()) {
    r.closures.push_back(ToCivilDay(c.date()));
  }
  for (const v1::WorkingHours& h : schedule.weekly_hours()) {
    if (h.location() != location_name) continue;
    r.working_hours.push_back(
        {ToWeekday(h.day()), MinuteOfDay(h.start()), MinuteOfDay(h.end())});
  }
  for (const v1::WorkingHours& h : schedule.breaks()) {
    if (h.location() != location_name) continue;
    r.breaks.push_back(
        {ToWeekday(h.day()), MinuteOfDay(h.start()), MinuteOfDay(h.end())});
  }
  for (const v1::ScheduleException& e : schedule.exceptions()) {
    const absl::CivilDay day = ToCivilDay(e.date());
    const int start = e.has_start() ? MinuteOfDay(e.start()) : 0;
    const int end = e.has_end() ? MinuteOfDay(e.end()) : 1440;
    if (e.kind() == v1::ScheduleException::KIND_EXTRA_HOURS) {
      if (e.location() == location_name) {
        r.extra_hours.push_back({day, start, end});
      }
    } else if (e.kind() == v1::ScheduleException::KIND_TIME_OFF) {
      if (e.location().empty() || e.location() == location_name) {
        r.time_off.push_back({day, start, end});
      }
    }
  }
  return r;
}

bool WorksAt(const v1::ProviderSchedule& schedule,
             const std::string& location_name) {
  for (const v1::WorkingHours& h : schedule.weekly_hours()) {
    if (h.location() == location_name) return true;
  }
  for (const v1::ScheduleException& e : schedule.exceptions()) {
    if (e.kind() == v1::ScheduleException::KIND_EXTRA_HOURS &&
        e.location() == location_name) {
      return true;
    }
  }
  return false;
}

v1::TimeOfDayPreference TimeOfDayOf(int minute_of_day) {
  if (minute_of_day < 12 * 60) return v1::TIME_OF_DAY_PREFERENCE_MORNING;
  if (minute_of_day < 17 * 60) return v1::TIME_OF_DAY_PREFERENCE_AFTERNOON;
  return v1::TIME_OF_DAY_PREFERENCE_EVENING;
}

bool CredentialsAllow(const v1::AppointmentType& type,
                      const std::vector<std::string>* credentials) {
  if (credentials == nullptr || type.allowed_credentials().empty()) {
    return true;
  }
  for (const std::string& allowed : type.allowed_credentials()) {
    for (const std::string& has : *credentials) {
      if (absl::EqualsIgnoreCase(allowed, has)) return true;
    }
  }
  return false;
}

}  // namespace clinic::appointments
