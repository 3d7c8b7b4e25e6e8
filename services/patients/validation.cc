#include "services/patients/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/patients/normalize.h"

namespace clinic::patients {
namespace {

using v1::Patient;

absl::Status Invalid(absl::string_view field, absl::string_view sub,
                     absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, field.empty() ? "" : ".", sub, ": ", what));
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
  std::string cleaned = CollapseSpaces(*value);
  if (HasControl(cleaned, /*allow_newlines=*/false)) {
    return Invalid(field, sub, "must not contain control characters");
  }
  if (required && cleaned.empty()) return Invalid(field, sub, "is required");
  if (CodePoints(cleaned) > max) {
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
      NormalizePhone(*phone, context.default_region);
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
    return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  }
  const absl::CivilDay day(d.year(), d.month(), d.day());
  if (d.month() < 1 || d.month() > 12 || d.day() < 1 || d.day() > 31 ||
      day.year() != d.year() || day.month() != d.month() ||
      day.day() != d.day()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", FormatDate(d), " is not a calendar date"));
  }
  if (day < absl::CivilDay(1900, 1, 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must not be before 1900-01-01"));
  }
  // The latest "today" anywhere is in UTC+14.
  const absl::CivilDay today =
      absl::ToCivilDay(context.now, absl::FixedTimeZone(14 * 60 * 60));
  if (day > today) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must not be in the future"));
  }
  return absl::OkStatus();
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

  if (auto s = CleanText(field, "given_name", p.mutable_given_name(),
                         kMaxNameLength, true);
      !s.ok()) {
    return s;
  }
  if (auto s = CleanText(field, "family_name", p.mutable_family_name(),
                         kMaxNameLength, true);
      !s.ok()) {
    return s;
  }
  if (auto s = CleanText(field, "preferred_name", p.mutable_preferred_name(),
                         kMaxNameLength, false);
      !s.ok()) {
    return s;
  }
  if (!p.has_birth_date()) return Invalid(field, "birth_date", "is required");
  if (auto s = ValidateBirthDate(context, absl::StrCat(field, ".birth_date"),
                                 p.birth_date());
      !s.ok()) {
    return s;
  }
  if (!v1::SexAtBirth_IsValid(p.sex_at_birth())) {
    return Invalid(field, "sex_at_birth",
                   absl::StrCat("unknown value ", p.sex_at_birth()));
  }
  if (auto s = CleanPhone(context, field, "phone", p.mutable_phone());
      !s.ok()) {
    return s;
  }
  if (!absl::StripAsciiWhitespace(p.email()).empty()) {
    absl::StatusOr<std::string> email = NormalizeEmail(p.email());
    if (!email.ok()) return Invalid(field, "email", email.status().message());
    p.set_email(*std::move(email));
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
      if (auto s = CleanText(field, absl::StrCat(sub, part.name), part.value,
                             kMaxAddressFieldLength, false);
          !s.ok()) {
        return s;
      }
    }
    std::string country =
        absl::AsciiStrToUpper(absl::StripAsciiWhitespace(a->country_code()));
    if (!country.empty() &&
        (country.size() != 2 || !absl::ascii_isalpha(country[0]) ||
         !absl::ascii_isalpha(country[1]))) {
      return Invalid(field, "address.country_code",
                     "must be a two-letter ISO 3166 code such as US");
    }
    a->set_country_code(country);
  }
  if (!v1::ContactMethod_IsValid(p.preferred_contact_method())) {
    return Invalid(
        field, "preferred_contact_method",
        absl::StrCat("unknown value ", p.preferred_contact_method()));
  }
  switch (p.preferred_contact_method()) {
    case v1::CONTACT_METHOD_EMAIL:
      if (p.email().empty()) {
        return Invalid(field, "preferred_contact_method",
                       "is email but no email address is given");
      }
      break;
    case v1::CONTACT_METHOD_PHONE:
    case v1::CONTACT_METHOD_SMS:
      if (p.phone().empty()) {
        return Invalid(field, "preferred_contact_method",
                       "needs a phone number");
      }
      break;
    default:
      break;
  }
  if (p.has_emergency_contact()) {
    v1::EmergencyContact* e = p.mutable_emergency_contact();
    if (auto s = CleanText(field, "emergency_contact.name", e->mutable_name(),
                           kMaxAddressFieldLength, false);
        !s.ok()) {
      return s;
    }
    if (auto s = CleanText(field, "emergency_contact.relationship",
                           e->mutable_relationship(), kMaxNameLength, false);
        !s.ok()) {
      return s;
    }
    if (auto s = CleanPhone(context, field, "emergency_contact.phone",
                            e->mutable_phone());
        !s.ok()) {
      return s;
    }
  }
  std::string notes(absl::StripAsciiWhitespace(p.notes()));
  if (HasControl(notes, /*allow_newlines=*/true)) {
    return Invalid(field, "notes", "must not contain control characters");
  }
  if (CodePoints(notes) > kMaxNotesLength) {
    return Invalid(
        field, "notes",
        absl::StrCat("longer than ", kMaxNotesLength, " characters"));
  }
  p.set_notes(notes);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParsePatientName(absl::string_view field,
                                             absl::string_view name) {
  constexpr absl::string_view kPrefix = "patients/";
  if (name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
  }
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must look like patients/{uuid}"));
  };
  if (!absl::StartsWith(name, kPrefix)) return bad();
  std::string id = absl::AsciiStrToLower(name.substr(kPrefix.size()));
  if (id.size() != 36) return bad();
  for (size_t i = 0; i < id.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? id[i] != '-' : !absl::ascii_isxdigit(id[i])) return bad();
  }
  return id;
}

absl::Status ValidateRequestId(absl::string_view request_id) {
  if (request_id.size() > kMaxRequestIdLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        "request_id: longer than ", kMaxRequestIdLength, " characters"));
  }
  for (unsigned char c : request_id) {
    if (c <= 0x20 || c >= 0x7f) {
      return absl::InvalidArgumentError(
          "request_id: must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

}  // namespace clinic::patients
