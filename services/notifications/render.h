// What a message says: its text from the templates (in the location's
// time), its calendar file (RFC 5545), and when a reminder is due. Pure.
#ifndef CLINIC_SERVICES_NOTIFICATIONS_RENDER_H_
#define CLINIC_SERVICES_NOTIFICATIONS_RENDER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace clinic::notifications {

struct Rendered {
  std::string subject;
  std::string body;
};

// The languages messages are written in: a location's Location.language
// ("en" or "es"; anything else is English).
enum class Language { kEnglish, kSpanish };
Language LanguageOf(const std::string& code);

// The template `name` in `language` (templates/<name>.<code>.txt, or
// templates/<name>.txt for English: a "Subject: " line, then the body)
// with every {{key}} replaced from `values`. NOT_FOUND for an unknown
// template; a placeholder without a value is left empty.
absl::StatusOr<Rendered> Render(
    const std::string& name, const std::map<std::string, std::string>& values,
    Language language = Language::kEnglish);

// "Wednesday 2 December 2026 at 9:00 AM (MST)" in English, "miércoles 2 de
// diciembre de 2026 a las 9:00 (MST)" in Spanish, for `t` in `zone`.
std::string LocalWords(absl::Time t, absl::TimeZone zone,
                       Language language = Language::kEnglish);

// The short phrases code puts around links, in `language`: "manage" ("To
// see, move or cancel it: "), "unsubscribe" ("To get no more reminders: "),
// "at" (" at ", between a type and a location).
std::string Phrase(const std::string& key, Language language);

struct IcsEvent {
  std::string uid;  // stable per appointment
  int sequence = 0;
  bool cancelled = false;
  absl::Time start, end, stamp;
  std::string summary, location, description;
  std::string time_zone;  // IANA, as X-WR-TIMEZONE
};

// A VCALENDAR with one VEVENT (METHOD:REQUEST, or CANCEL), CRLF lines
// folded at 75 octets, text escaped, times in UTC.
std::string Ics(const IcsEvent& e);

// A calendar to subscribe to (a feed): no METHOD, one VEVENT per event
// (cancelled ones with STATUS:CANCELLED), named `name`.
std::string IcsFeed(const std::string& name,
                    const std::vector<IcsEvent>& events);

// When the reminder of an appointment starting at `start` is due: `lead`
// before it, counted in the location's days and local time when `lead` is
// whole days (so a change of daylight-saving time in between does not move
// it by an hour), and moved out of the quiet hours [quiet_from, quiet_to)
// (local hours; a window across midnight when quiet_from > quiet_to) to the
// last hour before they start.
absl::Time ReminderDue(absl::Time start, absl::TimeZone zone,
                       absl::Duration lead, int quiet_from, int quiet_to);

}  // namespace clinic::notifications

#endif  // CLINIC_SERVICES_NOTIFICATIONS_RENDER_H_
