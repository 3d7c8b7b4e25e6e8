#include "services/appointments/validation.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"
#include "services/common/time/timestamps.h"

namespace clinic::appointments {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view what) {
  return status::InvalidField(field, what);
}

std::string Trim(absl::string_view s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

absl::Status CheckText(absl::string_view field, const std::string& text,
                       size_t max, bool required) {
  if (required && text.empty()) return Invalid(field, "is required");
  if (text::CodePoints(text) > max) {
    return Invalid(field, absl::StrCat("longer than ", max, " characters"));
  }
  return absl::OkStatus();
}

absl::Status CheckTimeOfDay(absl::string_view field,
                            const google::type::TimeOfDay& t, bool allow_24) {
  const bool is_24 =
      t.hours() == 24 && t.minutes() == 0 && t.seconds() == 0 && t.nanos() == 0;
  if (is_24 && allow_24) return absl::OkStatus();
  if (t.hours() < 0 || t.hours() > 23 || t.minutes() < 0 || t.minutes() > 59) {
    return Invalid(field, allow_24 ? "must be a time from 00:00 to 24:00"
                                   : "must be a time from 00:00 to 23:59");
  }
  if (t.seconds() != 0 || t.nanos() != 0) {
    return Invalid(field, "must be a whole minute");
  }
  return absl::OkStatus();
}

absl::Status CheckDay(absl::string_view field, google::type::DayOfWeek day) {
  if (day < google::type::MONDAY || day > google::type::SUNDAY) {
    return Invalid(field, "must be a day of the week (MONDAY..SUNDAY)");
  }
  return absl::OkStatus();
}

absl::Status CheckInterval(absl::string_view field,
                           const google::type::TimeOfDay& start,
                           const google::type::TimeOfDay& end,
                           absl::string_view start_name,
                           absl::string_view end_name) {
  if (absl::Status s =
          CheckTimeOfDay(absl::StrCat(field, ".", start_name), start, false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckTimeOfDay(absl::StrCat(field, ".", end_name), end, true);
      !s.ok()) {
    return s;
  }
  if (MinuteOfDay(end) <= MinuteOfDay(start)) {
    return Invalid(absl::StrCat(field, ".", end_name),
                   absl::StrCat("must be after ", start_name));
  }
  return absl::OkStatus();
}

absl::Status CheckWholeMinutes(absl::string_view field,
                               const google::protobuf::Duration& d,
                               absl::Duration min, absl::Duration max) {
  const absl::Duration v = FromProtoDuration(d);
  if (d.nanos() != 0 || d.seconds() % 60 != 0) {
    return Invalid(field, "must be a whole number of minutes");
  }
  if (v < min || v > max) {
    return Invalid(
        field, absl::StrCat("must be from ", absl::FormatDuration(min), " to ",
                            absl::FormatDuration(max)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ParseId(absl::string_view field,
                                    absl::string_view name,
                                    absl::string_view prefix) {
  if (name.empty()) return Invalid(field, "is required");
  const std::string want = absl::StrCat(prefix, "/");
  if (!absl::StartsWith(name, want) ||
      !text::IsUuid(name.substr(want.size()))) {
    return Invalid(field, absl::StrCat("must look like ", prefix, "/{uuid}"));
  }
  return absl::AsciiStrToLower(name.substr(want.size()));
}

absl::StatusOr<std::string> ParseTherapist(absl::string_view field,
                                           absl::string_view name) {
  absl::StatusOr<std::string> id = ParseId(field, name, "staff");
  if (!id.ok()) return id.status();
  return absl::StrCat("staff/", *id);
}

absl::StatusOr<std::string> ParsePatient(absl::string_view field,
                                         absl::string_view name) {
  absl::StatusOr<std::string> id = ParseId(field, name, "patients");
  if (!id.ok()) return id.status();
  return absl::StrCat("patients/", *id);
}

absl::StatusOr<std::string> ParseScheduleName(absl::string_view field,
                                              absl::string_view name) {
  constexpr absl::string_view kSuffix = "/schedule";
  if (name.empty()) return Invalid(field, "is required");
  if (!absl::EndsWith(name, kSuffix)) {
    return Invalid(field, "must look like staff/{uuid}/schedule");
  }
  absl::StatusOr<std::string> therapist =
      ParseTherapist(field, name.substr(0, name.size() - kSuffix.size()));
  if (!therapist.ok()) {
    return Invalid(field, "must look like staff/{uuid}/schedule");
  }
  return therapist;
}

absl::StatusOr<absl::TimeZone> LoadZone(absl::string_view field,
                                        const std::string& name) {
  if (name.empty()) return Invalid(field, "is required");
  absl::TimeZone zone;
  // absl::LoadTimeZone also accepts fixed offsets like "UTC+5"; only IANA
  // names (and UTC) are allowed here.
  if (name.find_first_of(" ") != std::string::npos ||
      !absl::LoadTimeZone(name, &zone)) {
    return Invalid(field,
                   absl::StrCat("unknown IANA time zone \"", name, "\""));
  }
  return zone;
}

namespace {

// Unset, or 1 hour to 14 days in whole seconds.
absl::Status CheckReminderLead(const std::string& field,
                               const google::protobuf::Duration& lead) {
  if (lead.seconds() == 0 && lead.nanos() == 0) return absl::OkStatus();
  if (lead.seconds() < 3600 || lead.seconds() > 14 * 24 * 3600 ||
      (lead.seconds() == 14 * 24 * 3600 && lead.nanos() != 0)) {
    return status::InvalidField(field,
                                "must be from 1 hour to 14 days, or unset");
  }
  if (lead.nanos() != 0) {
    return status::InvalidField(field, "must be whole seconds");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status NormalizeAndValidateLocation(absl::string_view field,
                                          v1::Location& l) {
  l.clear_name();
  l.clear_create_time();
  l.clear_update_time();
  l.set_display_name(Trim(l.display_name()));
  if (absl::Status s = CheckText(absl::StrCat(field, ".display_name"),
                                 l.display_name(), kMaxDisplayNameLength, true);
      !s.ok()) {
    return s;
  }
  if (l.address_lines_size() > 4) {
    return Invalid(absl::StrCat(field, ".address_lines"), "at most 4 lines");
  }
  for (int i = 0; i < l.address_lines_size(); ++i) {
    l.set_address_lines(i, Trim(l.address_lines(i)));
    if (absl::Status s =
            CheckText(absl::StrCat(field, ".address_lines[", i, "]"),
                      l.address_lines(i), 200, false);
        !s.ok()) {
      return s;
    }
  }
  l.set_phone(Trim(l.phone()));
  if (absl::Status s =
          CheckText(absl::StrCat(field, ".phone"), l.phone(), 32, false);
      !s.ok()) {
    return s;
  }
  l.set_time_zone(Trim(l.time_zone()));
  if (absl::StatusOr<absl::TimeZone> z =
          LoadZone(absl::StrCat(field, ".time_zone"), l.time_zone());
      !z.ok()) {
    return z.status();
  }
  if (absl::Status s = CheckReminderLead(absl::StrCat(field, ".reminder_lead"),
                                         l.reminder_lead());
      !s.ok()) {
    return s;
  }
  l.set_language(Trim(l.language()));
  if (l.language().empty()) l.set_language("en");
  if (l.language() != "en" && l.language() != "es") {
    return Invalid(absl::StrCat(field, ".language"),
                   "must be \"en\" (English) or \"es\" (Spanish)");
  }
  if (l.slot_minutes() == 0) l.set_slot_minutes(15);
  static const std::set<int> kGrids = {5, 10, 15, 20, 30, 60};
  if (!kGrids.count(l.slot_minutes())) {
    return Invalid(absl::StrCat(field, ".slot_minutes"),
                   "must be 5, 10, 15, 20, 30 or 60");
  }
  std::set<int> days;
  for (int i = 0; i < l.opening_hours_size(); ++i) {
    const v1::OpeningHours& h = l.opening_hours(i);
    const std::string f = absl::StrCat(field, ".opening_hours[", i, "]");
    if (absl::Status s = CheckDay(absl::StrCat(f, ".day"), h.day()); !s.ok()) {
      return s;
    }
    if (!days.insert(h.day()).second) {
      return Invalid(absl::StrCat(f, ".day"),
                     "a weekday has at most one interval");
    }
    if (absl::Status s = CheckInterval(f, h.open(), h.close(), "open", "close");
        !s.ok()) {
      return s;
    }
    if (MinuteOfDay(h.open()) % l.slot_minutes() != 0 ||
        MinuteOfDay(h.close()) % l.slot_minutes() != 0) {
      return Invalid(f, absl::StrCat("open and close must be on the ",
                                     l.slot_minutes(), "-minute slot grid"));
    }
  }
  std::sort(l.mutable_opening_hours()->begin(),
            l.mutable_opening_hours()->end(),
            [](const v1::OpeningHours& a, const v1::OpeningHours& b) {
              return a.day() < b.day();
            });
  if (l.closures_size() > 1000) {
    return Invalid(absl::StrCat(field, ".closures"), "at most 1000 closures");
  }
  for (int i = 0; i < l.closures_size(); ++i) {
    v1::Closure& c = *l.mutable_closures(i);
    const std::string f = absl::StrCat(field, ".closures[", i, "]");
    if (absl::Status s = ValidateDate(absl::StrCat(f, ".date"), c.date());
        !s.ok()) {
      return s;
    }
    c.set_reason(Trim(c.reason()));
    if (absl::Status s =
            CheckText(absl::StrCat(f, ".reason"), c.reason(), 100, false);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status NormalizeAndValidateType(absl::string_view field,
                                      v1::AppointmentType& t) {
  t.clear_name();
  t.set_display_name(Trim(t.display_name()));
  if (absl::Status s = CheckText(absl::StrCat(field, ".display_name"),
                                 t.display_name(), kMaxDisplayNameLength, true);
      !s.ok()) {
    return s;
  }
  if (!t.has_duration()) {
    return Invalid(absl::StrCat(field, ".duration"), "is required");
  }
  if (absl::Status s =
          CheckWholeMinutes(absl::StrCat(field, ".duration"), t.duration(),
                            absl::Minutes(5), absl::Hours(8));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckWholeMinutes(absl::StrCat(field, ".buffer_before"),
                                         t.buffer_before(),
                                         absl::ZeroDuration(), absl::Hours(2));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckWholeMinutes(absl::StrCat(field, ".buffer_after"),
                                         t.buffer_after(), absl::ZeroDuration(),
                                         absl::Hours(2));
      !s.ok()) {
    return s;
  }
  if (t.allowed_credentials_size() > 20) {
    return Invalid(absl::StrCat(field, ".allowed_credentials"),
                   "at most 20 credentials");
  }
  for (int i = 0; i < t.allowed_credentials_size(); ++i) {
    t.set_allowed_credentials(i, Trim(t.allowed_credentials(i)));
    if (absl::Status s =
            CheckText(absl::StrCat(field, ".allowed_credentials[", i, "]"),
                      t.allowed_credentials(i), 20, true);
        !s.ok()) {
      return s;
    }
  }
  const absl::Duration notice = FromProtoDuration(t.min_notice());
  if (notice < absl::ZeroDuration() || notice > absl::Hours(24 * 365) ||
      t.min_notice().nanos() != 0) {
    return Invalid(absl::StrCat(field, ".min_notice"),
                   "must be whole seconds from 0 to 365 days");
  }
  if (absl::Status s = CheckReminderLead(absl::StrCat(field, ".reminder_lead"),
                                         t.reminder_lead());
      !s.ok()) {
    return s;
  }
  if (t.max_days_ahead() == 0) t.set_max_days_ahead(60);
  if (t.max_days_ahead() < 1 || t.max_days_ahead() > 365) {
    return Invalid(absl::StrCat(field, ".max_days_ahead"),
                   "must be from 1 to 365");
  }
  t.set_color(Trim(t.color()));
  if (!t.color().empty()) {
    bool ok = t.color().size() == 7 && t.color()[0] == '#';
    for (size_t i = 1; ok && i < t.color().size(); ++i) {
      ok = absl::ascii_isxdigit(static_cast<unsigned char>(t.color()[i]));
    }
    if (!ok) return Invalid(absl::StrCat(field, ".color"), "must be #RRGGBB");
    t.set_color(absl::AsciiStrToUpper(t.color()));
  }
  return absl::OkStatus();
}

absl::Status ValidateSchedule(absl::string_view field,
                              const v1::ProviderSchedule& schedule) {
  auto check_hours =
      [&](absl::string_view list,
          const google::protobuf::RepeatedPtrField<v1::WorkingHours>& hours)
      -> absl::Status {
    if (hours.size() > 200) {
      return Invalid(absl::StrCat(field, ".", list), "at most 200 intervals");
    }
    for (int i = 0; i < hours.size(); ++i) {
      const v1::WorkingHours& h = hours[i];
      const std::string f = absl::StrCat(field, ".", list, "[", i, "]");
      if (absl::StatusOr<std::string> id =
              ParseId(absl::StrCat(f, ".location"), h.location(), "locations");
          !id.ok()) {
        return id.status();
      }
      if (absl::Status s = CheckDay(absl::StrCat(f, ".day"), h.day());
          !s.ok()) {
        return s;
      }
      if (absl::Status s = CheckInterval(f, h.start(), h.end(), "start", "end");
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  };
  if (absl::Status s = check_hours("weekly_hours", schedule.weekly_hours());
      !s.ok()) {
    return s;
  }
  if (absl::Status s = check_hours("breaks", schedule.breaks()); !s.ok()) {
    return s;
  }
  if (schedule.exceptions_size() > 1000) {
    return Invalid(absl::StrCat(field, ".exceptions"),
                   "at most 1000 exceptions");
  }
  for (int i = 0; i < schedule.exceptions_size(); ++i) {
    const v1::ScheduleException& e = schedule.exceptions(i);
    const std::string f = absl::StrCat(field, ".exceptions[", i, "]");
    if (e.kind() != v1::ScheduleException::KIND_TIME_OFF &&
        e.kind() != v1::ScheduleException::KIND_EXTRA_HOURS) {
      return Invalid(absl::StrCat(f, ".kind"),
                     "must be KIND_TIME_OFF or KIND_EXTRA_HOURS");
    }
    if (absl::Status s = ValidateDate(absl::StrCat(f, ".date"), e.date());
        !s.ok()) {
      return s;
    }
    const bool extra = e.kind() == v1::ScheduleException::KIND_EXTRA_HOURS;
    if (extra || !e.location().empty()) {
      if (absl::StatusOr<std::string> id =
              ParseId(absl::StrCat(f, ".location"), e.location(), "locations");
          !id.ok()) {
        return id.status();
      }
    }
    if (e.has_start() != e.has_end()) {
      return Invalid(absl::StrCat(f, e.has_start() ? ".end" : ".start"),
                     "set start and end together");
    }
    if (!e.has_start()) {
      if (extra) {
        return Invalid(absl::StrCat(f, ".start"),
                       "is required for extra hours");
      }
    } else if (absl::Status s =
                   CheckInterval(f, e.start(), e.end(), "start", "end");
               !s.ok()) {
      return s;
    }
    if (text::CodePoints(e.reason()) > 100) {
      return Invalid(absl::StrCat(f, ".reason"), "longer than 100 characters");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateDate(absl::string_view field,
                          const google::type::Date& date) {
  if (date.year() < kFirstYear || date.year() > kLastYear) {
    return Invalid(field, absl::StrCat("must be in the years ", kFirstYear,
                                       " to ", kLastYear));
  }
  if (date.month() < 1 || date.month() > 12 || date.day() < 1 ||
      date.day() > 31) {
    return Invalid(field, "must be a full calendar date");
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (day.year() != date.year() || day.month() != date.month() ||
      day.day() != date.day()) {
    return Invalid(field, absl::StrCat(FormatDate(date), " is not a date"));
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> ToTime(absl::string_view field,
                                  const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) {
    return Invalid(field, "is required");
  }
  if (ts.nanos() < 0 || ts.nanos() > 999999999) {
    return Invalid(field, "is not a valid timestamp");
  }
  const absl::Time t = FromProto(ts);
  if (t < absl::FromCivil(absl::CivilDay(kFirstYear, 1, 1),
                          absl::UTCTimeZone()) ||
      t >= absl::FromCivil(absl::CivilDay(kLastYear + 1, 1, 1),
                           absl::UTCTimeZone())) {
    return Invalid(field, absl::StrCat("must be in the years ", kFirstYear,
                                       " to ", kLastYear));
  }
  return t;
}

absl::CivilDay ToCivilDay(const google::type::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

google::type::Date FromCivilDay(absl::CivilDay day) {
  google::type::Date d;
  d.set_year(static_cast<int>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

std::string FormatDate(const google::type::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

int MinuteOfDay(const google::type::TimeOfDay& t) {
  return t.hours() * 60 + t.minutes();
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  return time::ToTimestamp(t);
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return time::FromTimestamp(ts);
}

google::protobuf::Duration ToProtoDuration(absl::Duration d) {
  google::protobuf::Duration out;
  const int64_t secs = absl::IDivDuration(d, absl::Seconds(1), &d);
  out.set_seconds(secs);
  out.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(d)));
  return out;
}

absl::Duration FromProtoDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

std::string LocalStart(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%dT%H:%M", t, zone);
}

}  // namespace clinic::appointments
