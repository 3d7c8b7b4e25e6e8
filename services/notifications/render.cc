#include "services/notifications/render.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "services/notifications/template_files.h"

namespace clinic::notifications {
namespace {

// RFC 5545 3.3.11: backslash, semicolon, comma and newlines escaped.
std::string IcsText(const std::string& s) {
  return absl::StrReplaceAll(s, {{"\\", "\\\\"},
                                 {";", "\\;"},
                                 {",", "\\,"},
                                 {"\r\n", "\\n"},
                                 {"\n", "\\n"}});
}

// RFC 5545 3.1: lines of at most 75 octets, continued with CRLF + space,
// never splitting a UTF-8 sequence.
void Line(std::string& out, const std::string& line) {
  size_t at = 0, width = 75;
  while (line.size() - at > width) {
    size_t cut = at + width;
    while (cut > at && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    absl::StrAppend(&out, line.substr(at, cut - at), "\r\n ");
    at = cut;
    width = 74;  // the leading space counts
  }
  absl::StrAppend(&out, line.substr(at), "\r\n");
}

std::string Utc(absl::Time t) {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", t, absl::UTCTimeZone());
}

}  // namespace

Language LanguageOf(const std::string& code) {
  return code == "es" ? Language::kSpanish : Language::kEnglish;
}

std::string Phrase(const std::string& key, Language language) {
  const bool es = language == Language::kSpanish;
  if (key == "manage") {
    return es ? "Para verla, cambiarla o cancelarla: "
              : "To see, move or cancel it: ";
  }
  if (key == "unsubscribe") {
    return es ? "Para no recibir más recordatorios: "
              : "To get no more reminders: ";
  }
  if (key == "at") return es ? " en " : " at ";
  if (key == "offer") {
    return es ? "Para reservar esta hora con un clic: "
              : "To take this time with one click: ";
  }
  return "";
}

absl::StatusOr<Rendered> Render(
    const std::string& name, const std::map<std::string, std::string>& values,
    Language language) {
  std::string file = name + ".txt";
  if (language == Language::kSpanish) {
    for (const db::Migration& t : TemplateFiles()) {
      if (t.name == name + ".es.txt") file = t.name;
    }
  }
  for (const db::Migration& t : TemplateFiles()) {
    if (t.name != file) continue;
    std::string text = t.sql;
    for (const auto& [key, value] : values) {
      text =
          absl::StrReplaceAll(text, {{absl::StrCat("{{", key, "}}"), value}});
    }
    // Placeholders without a value are left empty.
    size_t open;
    while ((open = text.find("{{")) != std::string::npos) {
      const size_t close = text.find("}}", open);
      if (close == std::string::npos) break;
      text.erase(open, close + 2 - open);
    }
    Rendered r;
    absl::string_view rest = text;
    if (absl::ConsumePrefix(&rest, "Subject: ")) {
      const size_t nl = rest.find('\n');
      r.subject = std::string(rest.substr(0, nl));
      rest = nl == absl::string_view::npos ? "" : rest.substr(nl + 1);
    }
    r.body = std::string(rest);
    return r;
  }
  return absl::NotFoundError(absl::StrCat("no template ", file));
}

std::string LocalWords(absl::Time t, absl::TimeZone zone, Language language) {
  const absl::CivilSecond c = zone.At(t).cs;
  if (language == Language::kSpanish) {
    static const char* const kDays[] = {"lunes",  "martes",  "miércoles",
                                        "jueves", "viernes", "sábado",
                                        "domingo"};
    static const char* const kMonths[] = {
        "enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
        "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
    return absl::StrCat(
        kDays[static_cast<int>(absl::GetWeekday(absl::CivilDay(c)))], " ",
        c.day(), " de ", kMonths[c.month() - 1], " de ", c.year(),
        c.hour() == 1 ? " a la " : " a las ", c.hour(), ":",
        absl::FormatTime("%M", t, zone), " (", absl::FormatTime("%Z", t, zone),
        ")");
  }
  const int hour12 = c.hour() % 12 == 0 ? 12 : c.hour() % 12;
  return absl::StrCat(absl::FormatTime("%A ", t, zone), c.day(),
                      absl::FormatTime(" %B %Y", t, zone), " at ", hour12, ":",
                      absl::FormatTime("%M", t, zone),
                      c.hour() < 12 ? " AM" : " PM", " (",
                      absl::FormatTime("%Z", t, zone), ")");
}

namespace {

void Event(std::string& out, const IcsEvent& e) {
  Line(out, "BEGIN:VEVENT");
  Line(out, "UID:" + e.uid);
  Line(out, absl::StrCat("SEQUENCE:", e.sequence));
  Line(out, "DTSTAMP:" + Utc(e.stamp));
  Line(out, "DTSTART:" + Utc(e.start));
  Line(out, "DTEND:" + Utc(e.end));
  Line(out, "SUMMARY:" + IcsText(e.summary));
  if (!e.location.empty()) Line(out, "LOCATION:" + IcsText(e.location));
  if (!e.description.empty()) {
    Line(out, "DESCRIPTION:" + IcsText(e.description));
  }
  Line(out, e.cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
  Line(out, "END:VEVENT");
}

}  // namespace

std::string Ics(const IcsEvent& e) {
  std::string out;
  Line(out, "BEGIN:VCALENDAR");
  Line(out, "VERSION:2.0");
  Line(out, "PRODID:-//Clinic back office//Appointments//EN");
  Line(out, "CALSCALE:GREGORIAN");
  Line(out, e.cancelled ? "METHOD:CANCEL" : "METHOD:REQUEST");
  if (!e.time_zone.empty()) Line(out, "X-WR-TIMEZONE:" + e.time_zone);
  Event(out, e);
  Line(out, "END:VCALENDAR");
  return out;
}

std::string IcsFeed(const std::string& name,
                    const std::vector<IcsEvent>& events) {
  std::string out;
  Line(out, "BEGIN:VCALENDAR");
  Line(out, "VERSION:2.0");
  Line(out, "PRODID:-//Clinic back office//Calendar feed//EN");
  Line(out, "CALSCALE:GREGORIAN");
  Line(out, "X-WR-CALNAME:" + IcsText(name));
  // Calendar programs poll a subscription; ask for every 15 minutes.
  Line(out, "REFRESH-INTERVAL;VALUE=DURATION:PT15M");
  Line(out, "X-PUBLISHED-TTL:PT15M");
  for (const IcsEvent& e : events) Event(out, e);
  Line(out, "END:VCALENDAR");
  return out;
}

absl::Time ReminderDue(absl::Time start, absl::TimeZone zone,
                       absl::Duration lead, int quiet_from, int quiet_to) {
  absl::Time due = start - lead;
  const int64_t days = lead / absl::Hours(24);
  if (days * absl::Hours(24) == lead) {
    const absl::CivilSecond local = zone.At(start).cs;
    due = zone.At(local - days * 86400).pre;
  }
  const absl::CivilSecond d = zone.At(due).cs;
  const int h = d.hour();
  const bool quiet = quiet_from == quiet_to ? false
                     : quiet_from < quiet_to
                         ? (h >= quiet_from && h < quiet_to)
                         : (h >= quiet_from || h < quiet_to);
  if (!quiet) return due;
  // In the evening part: the hour before the quiet hours begin. In the
  // morning part: when they end, if that is still before the appointment.
  const absl::CivilDay day(d);
  const bool evening = quiet_from > quiet_to ? h >= quiet_from : false;
  if (!evening) {
    const absl::Time after =
        zone.At(absl::CivilHour(day.year(), day.month(), day.day(), quiet_to))
            .pre;
    if (after < start) return after;
  }
  const absl::CivilDay eve = evening ? day : day - 1;
  return zone
      .At(absl::CivilHour(eve.year(), eve.month(), eve.day(), quiet_from - 1))
      .pre;
}

}  // namespace clinic::notifications
