#include "services/booking/online.h"

#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"
#include "services/common/time/local_start.h"

namespace clinic::booking {
namespace {

bool ValidDate(const google::type::Date& d) {
  const absl::CivilDay day(d.year(), d.month(), d.day());
  return d.year() >= 1900 && d.month() >= 1 && d.month() <= 12 &&
         day.year() == d.year() && day.month() == d.month() &&
         day.day() == d.day();
}

absl::CivilDay DayOf(const google::type::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

}  // namespace

absl::Status CheckFindOpenings(const v1::FindOpeningsRequest& r) {
  status::Violations v;
  if (!text::IsResourceName(r.appointment_type(), "appointmentTypes")) {
    v.Add("appointment_type", "choose a kind of appointment");
  }
  if (!text::IsResourceName(r.location(), "locations")) {
    v.Add("location", "choose a location");
  }
  const bool start_ok = r.has_start_date() && ValidDate(r.start_date());
  const bool end_ok = r.has_end_date() && ValidDate(r.end_date());
  if (!start_ok) v.Add("start_date", "choose a first day");
  if (!end_ok) v.Add("end_date", "choose a last day");
  if (start_ok && end_ok) {
    const int days = DayOf(r.end_date()) - DayOf(r.start_date());
    if (days < 0) v.Add("end_date", "must not be before the first day");
    if (days >= kMaxOpeningDays) {
      v.Add("end_date",
            absl::StrCat("at most ", kMaxOpeningDays, " days at a time"));
    }
  }
  return v.ToStatus();
}

absl::Status CheckBookOnline(const v1::BookOnlineRequest& r) {
  status::Violations v;
  v.Check(text::ValidateRequestId(r.request_id()));
  if (r.request_id().empty()) v.Add("request_id", "is required");
  // The services behind are called with keys derived from it
  // ("<request_id>/book-2"), which must stay within their 64 characters.
  if (r.request_id().size() > kMaxBookOnlineRequestId) {
    v.Add("request_id",
          absl::StrCat("at most ", kMaxBookOnlineRequestId, " characters"));
  }
  if (!text::IsResourceName(r.appointment_type(), "appointmentTypes")) {
    v.Add("appointment_type", "choose a kind of appointment");
  }
  if (!text::IsResourceName(r.location(), "locations"))
    v.Add("location", "choose a location");
  if (!text::IsResourceName(r.therapist(), "staff"))
    v.Add("therapist", "choose a time");
  if (!r.has_start_time() || r.start_time().seconds() <= 0) {
    v.Add("start_time", "choose a time");
  }
  if (!r.has_person()) v.Add("person", "tell us who is coming");
  if (!r.consent_to_contact()) {
    v.Add("consent_to_contact",
          "is needed: we may only contact you if you agree");
  }
  return v.ToStatus();
}

absl::Status ForThePublic(const absl::Status& status) {
  return status::RenameFields(status, [](absl::string_view field) {
    if (absl::ConsumePrefix(&field, "patient.")) {
      return absl::StrCat("person.", field);
    }
    if (!absl::ConsumePrefix(&field, "appointment.")) {
      absl::ConsumePrefix(&field, "slot.");
    }
    return std::string(field);
  });
}

std::string Confirmation(const std::string& type_name,
                         const std::string& location_name,
                         const std::string& local_start,
                         const std::string& time_zone) {
  const std::optional<absl::CivilMinute> at =
      time::ParseLocalStart(local_start);
  if (!at) {
    return absl::StrCat(type_name, " at ", location_name, " on ", local_start,
                        " (", time_zone, ").");
  }
  const int y = static_cast<int>(at->year()), mo = at->month(), d = at->day(),
            h = at->hour(), mi = at->minute();
  static const char* const kWeekdays[] = {"Monday",   "Tuesday", "Wednesday",
                                          "Thursday", "Friday",  "Saturday",
                                          "Sunday"};
  static const char* const kMonths[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  const absl::CivilDay day(y, mo, d);
  const int weekday = static_cast<int>(absl::GetWeekday(day));
  const int hour12 = h % 12 == 0 ? 12 : h % 12;
  return absl::StrFormat("%s at %s on %s %d %s %d at %d:%02d %s (%s).",
                         type_name, location_name, kWeekdays[weekday], d,
                         kMonths[mo - 1], y, hour12, mi, h < 12 ? "AM" : "PM",
                         time_zone);
}

}  // namespace clinic::booking
