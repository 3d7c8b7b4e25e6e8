#include "services/screenings/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/status/errors.h"
#include "services/common/text/email.h"
#include "services/common/text/phone.h"
#include "services/common/text/text.h"

namespace clinic::screenings {
namespace {

std::string Path(absl::string_view field, absl::string_view sub) {
  return field.empty() ? std::string(sub) : absl::StrCat(field, ".", sub);
}

bool HasControl(absl::string_view s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Checks a one-line text (folded) or, with `multiline`, a trimmed text.
void CheckText(status::Violations& v, absl::string_view field,
               absl::string_view sub, std::string* value, size_t max,
               bool required, bool multiline = false) {
  std::string cleaned = multiline
                            ? std::string(absl::StripAsciiWhitespace(*value))
                            : text::CollapseSpaces(*value);
  const std::string path = Path(field, sub);
  if (text::Utf8CodePoints(cleaned) < 0) {
    v.Add(path, "is not valid text");
    return;
  }
  if (HasControl(cleaned, multiline)) {
    v.Add(path, "must not contain control characters");
    return;
  }
  if (required && cleaned.empty()) {
    v.Add(path, "is required");
    return;
  }
  if (text::CodePoints(cleaned) > max) {
    v.Add(path, absl::StrCat("is longer than ", max, " characters"));
    return;
  }
  *value = std::move(cleaned);
}

}  // namespace

absl::Status NormalizeAndValidate(absl::string_view field,
                                  absl::string_view default_region,
                                  v1::ContactRequest& r) {
  r.clear_name();
  r.clear_state();
  r.clear_attempts();
  r.clear_create_time();
  r.clear_update_time();
  r.clear_etag();
  status::Violations v;
  CheckText(v, field, "given_name", r.mutable_given_name(), kMaxNameLength,
            true);
  CheckText(v, field, "family_name", r.mutable_family_name(), kMaxNameLength,
            false);
  if (!absl::StripAsciiWhitespace(r.phone()).empty()) {
    absl::StatusOr<std::string> phone =
        text::NormalizePhone(r.phone(), default_region);
    if (phone.ok()) {
      r.set_phone(*phone);
    } else {
      v.Add(Path(field, "phone"), phone.status().message());
    }
  } else {
    r.clear_phone();
  }
  if (!absl::StripAsciiWhitespace(r.email()).empty()) {
    absl::StatusOr<std::string> email = text::NormalizeEmail(r.email());
    if (email.ok()) {
      r.set_email(*email);
    } else {
      v.Add(Path(field, "email"), email.status().message());
    }
  } else {
    r.clear_email();
  }
  if (r.phone().empty() && r.email().empty() &&
      absl::StripAsciiWhitespace(r.phone()).empty()) {
    v.Add(Path(field, "phone"), "a phone number or an email is required");
  }
  if (!v1::ContactChannel_IsValid(r.preferred_channel())) {
    v.Add(Path(field, "preferred_channel"), "is not a known channel");
  } else if ((r.preferred_channel() == v1::CONTACT_CHANNEL_PHONE ||
              r.preferred_channel() == v1::CONTACT_CHANNEL_SMS) &&
             r.phone().empty()) {
    v.Add(Path(field, "phone"), "is needed to call or text you");
  } else if (r.preferred_channel() == v1::CONTACT_CHANNEL_EMAIL &&
             r.email().empty()) {
    v.Add(Path(field, "email"), "is needed to email you");
  }
  CheckText(v, field, "preferred_times", r.mutable_preferred_times(),
            kMaxPreferredTimesLength, false);
  if (!r.location().empty()) {
    constexpr absl::string_view kPrefix = "locations/";
    if (!absl::StartsWith(r.location(), kPrefix) ||
        !text::IsUuid(r.location().substr(kPrefix.size()))) {
      v.Add(Path(field, "location"), "is not a location of the practice");
    } else {
      r.set_location(absl::AsciiStrToLower(r.location()));
    }
  }
  CheckText(v, field, "concern", r.mutable_concern(), kMaxConcernLength, false,
            /*multiline=*/true);
  if (!v1::BodyArea_IsValid(r.body_area())) {
    v.Add(Path(field, "body_area"), "is not a known body area");
  }
  if (!v1::ContactSource_IsValid(r.source())) {
    v.Add(Path(field, "source"), "is not a known source");
  } else if (r.source() == v1::CONTACT_SOURCE_WEB_FORM &&
             !r.consent_to_contact()) {
    v.Add(Path(field, "consent_to_contact"),
          "is needed: we may only contact you if you agree");
  }
  if (r.campaign().size() > kMaxCampaignLength ||
      r.campaign().find_first_not_of(
          "abcdefghijklmnopqrstuvwxyz0123456789/-") != std::string::npos) {
    v.Add(Path(field, "campaign"),
          "must be up to 100 characters of a-z, 0-9, / and -");
  }
  return v.ToStatus();
}

absl::StatusOr<std::string> ParseContactRequestName(absl::string_view field,
                                                    absl::string_view name) {
  constexpr absl::string_view kPrefix = "contactRequests/";
  if (name.empty()) return status::InvalidField(field, "is required");
  std::string id = absl::AsciiStrToLower(
      absl::StartsWith(name, kPrefix) ? name.substr(kPrefix.size()) : "");
  if (!text::IsUuid(id)) {
    return status::InvalidField(field, "must look like contactRequests/{uuid}");
  }
  return id;
}

bool IsOpen(v1::ContactRequestState state) {
  return state == v1::CONTACT_REQUEST_STATE_NEW ||
         state == v1::CONTACT_REQUEST_STATE_CONTACTED;
}

}  // namespace clinic::screenings
