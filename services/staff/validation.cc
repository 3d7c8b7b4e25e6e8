#include "services/staff/validation.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/status/errors.h"
#include "services/common/text/email.h"
#include "services/common/text/text.h"

namespace clinic::staff {
namespace {

using api::v1::StaffRole;

absl::Status Invalid(absl::string_view field, absl::string_view sub,
                     absl::string_view what) {
  return status::InvalidField(
      absl::StrCat(field, field.empty() ? "" : ".", sub), what);
}

bool HasControl(absl::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

absl::Status CleanName(absl::string_view field, absl::string_view sub,
                       std::string* value) {
  std::string cleaned = text::CollapseSpaces(*value);
  if (HasControl(cleaned)) {
    return Invalid(field, sub, "must not contain control characters");
  }
  if (cleaned.empty()) return Invalid(field, sub, "is required");
  if (text::CodePoints(cleaned) > kMaxNameLength) {
    return Invalid(field, sub,
                   absl::StrCat("longer than ", kMaxNameLength, " characters"));
  }
  *value = std::move(cleaned);
  return absl::OkStatus();
}

}  // namespace

absl::Status NormalizeAndValidateMember(absl::string_view field,
                                        v1::StaffMember& m) {
  m.clear_name();
  m.clear_state();
  m.clear_create_time();
  m.clear_update_time();
  m.clear_deactivate_time();
  m.clear_etag();
  if (absl::Status s = CleanName(field, "given_name", m.mutable_given_name());
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CleanName(field, "family_name", m.mutable_family_name());
      !s.ok()) {
    return s;
  }
  if (absl::StripAsciiWhitespace(m.email()).empty()) {
    return Invalid(field, "email", "is required");
  }
  absl::StatusOr<std::string> email = text::NormalizeEmail(m.email());
  if (!email.ok()) return Invalid(field, "email", email.status().message());
  if (email->size() > kMaxEmailLength) {
    return Invalid(
        field, "email",
        absl::StrCat("longer than ", kMaxEmailLength, " characters"));
  }
  m.set_email(*std::move(email));

  if (m.roles_size() == 0) return Invalid(field, "roles", "at least one role");
  std::set<int> roles;
  for (int r : m.roles()) {
    if (r == api::v1::STAFF_ROLE_UNSPECIFIED ||
        !api::v1::StaffRole_IsValid(r)) {
      return Invalid(field, "roles", absl::StrCat("unknown role ", r));
    }
    if (!roles.insert(r).second) {
      return Invalid(
          field, "roles",
          absl::StrCat("duplicate role ",
                       api::v1::StaffRole_Name(static_cast<StaffRole>(r))));
    }
  }
  m.clear_roles();
  for (int r : roles) m.add_roles(static_cast<StaffRole>(r));

  if (m.credentials_size() > kMaxCredentials) {
    return Invalid(field, "credentials",
                   absl::StrCat("at most ", kMaxCredentials));
  }
  std::set<std::string> credentials;
  for (std::string& c : *m.mutable_credentials()) {
    c = std::string(absl::StripAsciiWhitespace(c));
    if (c.empty() || c.size() > kMaxCredentialLength) {
      return Invalid(field, "credentials",
                     absl::StrCat("each must have 1 to ", kMaxCredentialLength,
                                  " characters"));
    }
    for (char ch : c) {
      if (!absl::ascii_isalnum(ch) && ch != '-') {
        return Invalid(field, "credentials",
                       absl::StrCat("\"", c,
                                    "\" may have only letters, digits and "
                                    "hyphens"));
      }
    }
    if (!credentials.insert(absl::AsciiStrToUpper(c)).second) {
      return Invalid(field, "credentials",
                     absl::StrCat("duplicate \"", c, "\""));
    }
  }

  if (m.home_locations_size() > kMaxHomeLocations) {
    return Invalid(field, "home_locations",
                   absl::StrCat("at most ", kMaxHomeLocations));
  }
  std::set<std::string> locations;
  for (const std::string& l : m.home_locations()) {
    if (absl::Status s =
            ValidateLocationName(absl::StrCat(field, ".home_locations"), l);
        !s.ok()) {
      return s;
    }
    if (!locations.insert(l).second) {
      return Invalid(field, "home_locations",
                     absl::StrCat("duplicate \"", l, "\""));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateLocationName(absl::string_view field,
                                  absl::string_view name) {
  constexpr absl::string_view kPrefix = "locations/";
  auto bad = [&] {
    return status::InvalidField(
        field, absl::StrCat("\"", name.substr(0, 80),
                            "\" must look like locations/{id}"));
  };
  if (!absl::StartsWith(name, kPrefix)) return bad();
  absl::string_view id = name.substr(kPrefix.size());
  if (id.empty() || id.size() > 63) return bad();
  for (char c : id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return bad();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParseMemberName(absl::string_view field,
                                            absl::string_view name) {
  constexpr absl::string_view kPrefix = "staff/";
  if (name.empty()) {
    return status::InvalidField(field, "is required");
  }
  std::string id = absl::AsciiStrToLower(
      absl::StartsWith(name, kPrefix) ? name.substr(kPrefix.size()) : "");
  if (!text::IsUuid(id)) {
    return status::InvalidField(field, "must look like staff/{uuid}");
  }
  return id;
}

absl::StatusOr<SessionName> ParseSessionName(absl::string_view field,
                                             absl::string_view name) {
  if (name.empty()) {
    return status::InvalidField(field, "is required");
  }
  constexpr absl::string_view kMiddle = "/sessions/";
  const size_t middle = name.find(kMiddle);
  SessionName parsed;
  if (absl::StartsWith(name, "staff/") && middle != absl::string_view::npos) {
    parsed.member_id = absl::AsciiStrToLower(name.substr(6, middle - 6));
    parsed.session_id =
        absl::AsciiStrToLower(name.substr(middle + kMiddle.size()));
  }
  if (!text::IsUuid(parsed.member_id) || !text::IsUuid(parsed.session_id)) {
    return status::InvalidField(field,
                                "must look like staff/{uuid}/sessions/{uuid}");
  }
  return parsed;
}

std::string SanitizeForDisplay(absl::string_view text, size_t max) {
  std::string out;
  size_t points = 0;
  for (size_t i = 0; i < text.size() && points < max; ++points) {
    const unsigned char c = text[i];
    const size_t len = c < 0x80             ? 1
                       : (c & 0xe0) == 0xc0 ? 2
                       : (c & 0xf0) == 0xe0 ? 3
                       : (c & 0xf8) == 0xf0 ? 4
                                            : 0;
    if (len == 1 && c >= 0x20 && c != 0x7f) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (len > 1 && i + len <= text.size() &&
               ::clinic::text::Utf8CodePoints(text.substr(i, len)) == 1) {
      out.append(text.data() + i, len);
      i += len;
    } else {
      out.push_back('?');  // a control character or a broken sequence
      ++i;
    }
  }
  return out;
}

}  // namespace clinic::staff
