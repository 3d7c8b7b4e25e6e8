#include "services/patients/validation.h"

#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/status/errors.h"
#include "services/common/text/email.h"
#include "services/common/text/phone.h"
#include "services/common/text/text.h"

namespace clinic::patients {
namespace {

using v1::Patient;

absl::Status Invalid(absl::string_view field, absl::string_view sub,
                     absl::string_view what) {
  return status::InvalidField(
      absl::StrCat(field, field.empty() ? "" : ".", sub), what);
}

bool HasControl(absl::string_view s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Trims/folds a one-line text field and checks its length.
absl::Status CleanText(absl::string_view field, absl::string_view sub,
                       std::string* value, size_t max, bool required) {
  std::string cleaned = text::CollapseSpaces(*value);
  if (HasControl(cleaned, /*allow_newlines=*/false)) {
    return Invalid(field, sub, "must not contain control characters");
  }
  if (required && cleaned.empty()) return Invalid(field, sub, "is required");
  if (text::CodePoints(cleaned) > max) {
    return Invalid(field, sub,
                   absl::StrCat("longer than ", max, " characters"));
  }
  *value = std::move(cleaned);
  return absl::OkStatus();
}

absl::Status CleanPhone(const ValidationContext& context,
                        absl::string_view field, absl::string_view sub,
                        std::string* phone) {
  if (absl::StripAsciiWhitespace(*phone).empty()) {
    phone->clear();
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> normalized =
      text::NormalizePhone(*phone, context.default_region);
  if (!normalized.ok())
    return Invalid(field, sub, normalized.status().message());
  *phone = *std::move(normalized);
  return absl::OkStatus();
}

}  // namespace

std::string FormatDate(const google::type::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

absl::Status ValidateBirthDate(const ValidationContext& context,
                               absl::string_view field,
                               const google::type::Date& d) {
  if (d.year() == 0 && d.month() == 0 && d.day() == 0) {
    return status::InvalidField(field, "is required");
  }
  const absl::CivilDay day(d.year(), d.month(), d.day());
  if (d.month() < 1 || d.month() > 12 || d.day() < 1 || d.day() > 31 ||
      day.year() != d.year() || day.month() != d.month() ||
      day.day() != d.day()) {
    return status::InvalidField(
        field, absl::StrCat(FormatDate(d), " is not a calendar date"));
  }
  if (day < absl::CivilDay(1900, 1, 1)) {
    return status::InvalidField(field, "must not be before 1900-01-01");
  }
  // The latest "today" anywhere is in UTC+14.
  const absl::CivilDay today =
      absl::ToCivilDay(context.now, absl::FixedTimeZone(14 * 60 * 60));
  if (day > today) {
    return status::InvalidField(field, "must not be in the future");
  }
  return absl::OkStatus();
}

absl::StatusOr<SearchQuery> ParseSearchQuery(const ValidationContext& context,
                                             absl::string_view field,
                                             absl::string_view query) {
  SearchQuery out;
  const std::string text = text::CollapseSpaces(query);
  if (text::CodePoints(text) > kMaxSearchLength) {
    return status::InvalidField(
        field, absl::StrCat("longer than ", kMaxSearchLength, " characters"));
  }
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      return status::InvalidField(field, "must not contain control characters");
    }
  }
  // A date: 1990-04-02, or 04/02/1990 (US) and 02/04/1990 (elsewhere).
  int a = 0, b = 0, c = 0;
  char s1 = 0, s2 = 0;
  google::type::Date date;
  bool is_date = false;
  if (std::sscanf(text.c_str(), "%4d%c%2d%c%2d", &a, &s1, &b, &s2, &c) == 5 &&
      s1 == '-' && s2 == '-' && text.size() == 10) {
    date.set_year(a);
    date.set_month(b);
    date.set_day(c);
    is_date = true;
  } else if (std::sscanf(text.c_str(), "%2d%c%2d%c%4d", &a, &s1, &b, &s2, &c) ==
                 5 &&
             s1 == '/' && s2 == '/' && text.size() >= 8 && text.size() <= 10 &&
             c >= 1000) {
    const bool us = context.default_region == "US";
    date.set_year(c);
    date.set_month(us ? a : b);
    date.set_day(us ? b : a);
    is_date = true;
  }
  if (is_date) {
    if (absl::Status s = ValidateBirthDate(context, field, date); !s.ok()) {
      return s;
    }
    out.birth_date = FormatDate(date);
    return out;
  }
  std::string digits;
  bool phone_like = !text.empty();
  for (char ch : text) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(ch))) {
      digits.push_back(ch);
    } else if (!absl::StrContains(" -.()+", ch)) {
      phone_like = false;
    }
  }
  if (phone_like && digits.size() >= 4 && digits.size() <= 15) {
    out.phone_suffix = digits;
    return out;
  }
  out.name_prefix = text;
  return out;
}

absl::Status NormalizeAndValidatePatient(const ValidationContext& context,
                                         absl::string_view field, Patient& p) {
  // Output-only fields.
  p.clear_name();
  p.clear_state();
  p.clear_create_time();
  p.clear_update_time();
  p.clear_archive_time();
  p.clear_etag();
  // Every invalid field is reported, not only the first.
  status::Violations v;

  v.Check(CleanText(field, "given_name", p.mutable_given_name(), kMaxNameLength,
                    true));
  v.Check(CleanText(field, "family_name", p.mutable_family_name(),
                    kMaxNameLength, true));
  v.Check(CleanText(field, "preferred_name", p.mutable_preferred_name(),
                    kMaxNameLength, false));
  if (!p.has_birth_date()) {
    v.Check(Invalid(field, "birth_date", "is required"));
  } else {
    v.Check(ValidateBirthDate(context, absl::StrCat(field, ".birth_date"),
                              p.birth_date()));
  }
  if (!v1::SexAtBirth_IsValid(p.sex_at_birth())) {
    v.Check(Invalid(field, "sex_at_birth",
                    absl::StrCat("unknown value ", p.sex_at_birth())));
  }
  v.Check(CleanPhone(context, field, "phone", p.mutable_phone()));
  if (!absl::StripAsciiWhitespace(p.email()).empty()) {
    absl::StatusOr<std::string> email = text::NormalizeEmail(p.email());
    if (email.ok()) {
      p.set_email(*std::move(email));
    } else {
      v.Check(Invalid(field, "email", email.status().message()));
    }
  } else {
    p.clear_email();
  }
  if (p.has_address()) {
    v1::PostalAddress* a = p.mutable_address();
    const std::string sub = "address.";
    struct {
      const char* name;
      std::string* value;
    } parts[] = {{"line1", a->mutable_line1()},
                 {"line2", a->mutable_line2()},
                 {"city", a->mutable_city()},
                 {"region", a->mutable_region()},
                 {"postal_code", a->mutable_postal_code()}};
    for (auto& part : parts) {
      v.Check(CleanText(field, absl::StrCat(sub, part.name), part.value,
                        kMaxAddressFieldLength, false));
    }
    std::string country =
        absl::AsciiStrToUpper(absl::StripAsciiWhitespace(a->country_code()));
    if (!country.empty() &&
        (country.size() != 2 || !absl::ascii_isalpha(country[0]) ||
         !absl::ascii_isalpha(country[1]))) {
      v.Check(Invalid(field, "address.country_code",
                      "must be a two-letter ISO 3166 code such as US"));
    }
    a->set_country_code(country);
  }
  if (!v1::ContactMethod_IsValid(p.preferred_contact_method())) {
    v.Check(
        Invalid(field, "preferred_contact_method",
                absl::StrCat("unknown value ", p.preferred_contact_method())));
  }
  switch (p.preferred_contact_method()) {
    case v1::CONTACT_METHOD_EMAIL:
      if (p.email().empty()) {
        v.Check(Invalid(field, "preferred_contact_method",
                        "is email but no email address is given"));
      }
      break;
    case v1::CONTACT_METHOD_PHONE:
    case v1::CONTACT_METHOD_SMS:
      if (p.phone().empty()) {
        v.Check(
            Invalid(field, "preferred_contact_method", "needs a phone number"));
      }
      break;
    default:
      break;
  }
  if (p.has_emergency_contact()) {
    v1::EmergencyContact* e = p.mutable_emergency_contact();
    v.Check(CleanText(field, "emergency_contact.name", e->mutable_name(),
                      kMaxAddressFieldLength, false));
    v.Check(CleanText(field, "emergency_contact.relationship",
                      e->mutable_relationship(), kMaxNameLength, false));
    v.Check(CleanPhone(context, field, "emergency_contact.phone",
                       e->mutable_phone()));
  }
  std::string notes(absl::StripAsciiWhitespace(p.notes()));
  if (HasControl(notes, /*allow_newlines=*/true)) {
    v.Check(Invalid(field, "notes", "must not contain control characters"));
  }
  if (text::CodePoints(notes) > kMaxNotesLength) {
    v.Check(
        Invalid(field, "notes",
                absl::StrCat("longer than ", kMaxNotesLength, " characters")));
  }
  p.set_notes(notes);
  return v.ToStatus();
}

absl::StatusOr<std::string> ParsePatientName(absl::string_view field,
                                             absl::string_view name) {
  constexpr absl::string_view kPrefix = "patients/";
  if (name.empty()) {
    return status::InvalidField(field, "is required");
  }
  auto bad = [&] {
    return status::InvalidField(field, "must look like patients/{uuid}");
  };
  if (!absl::StartsWith(name, kPrefix)) return bad();
  std::string id = absl::AsciiStrToLower(name.substr(kPrefix.size()));
  if (!text::IsUuid(id)) return bad();
  return id;
}

}  // namespace clinic::patients
