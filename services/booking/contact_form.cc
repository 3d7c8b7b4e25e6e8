#include "services/booking/contact_form.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/status/errors.h"

namespace clinic::booking {

screenings::v1::ContactRequest ToContactRequest(
    const v1::RequestContactRequest& f) {
  screenings::v1::ContactRequest c;
  c.set_given_name(f.given_name());
  c.set_family_name(f.family_name());
  c.set_phone(f.phone());
  c.set_email(f.email());
  // The two enums share their numbering (see booking_service.proto).
  c.set_preferred_channel(
      static_cast<screenings::v1::ContactChannel>(f.preferred_contact()));
  c.set_preferred_times(f.preferred_times());
  c.set_location(f.location());
  c.set_concern(f.concern());
  c.set_body_area(static_cast<screenings::v1::BodyArea>(f.pain_area()));
  c.set_consent_to_contact(f.consent_to_contact());
  c.set_source(screenings::v1::CONTACT_SOURCE_WEB_FORM);
  c.set_campaign(f.campaign());
  return c;
}

absl::Status ForTheForm(const absl::Status& status) {
  return status::RenameFields(status, [](absl::string_view field) {
    absl::ConsumePrefix(&field, "contact_request.");
    if (field == "preferred_channel") return std::string("preferred_contact");
    if (field == "body_area") return std::string("pain_area");
    if (field == "source" || field == "contact_request") return std::string();
    return std::string(field);
  });
}

bool IsAutomated(absl::string_view honeypot) {
  return !absl::StripAsciiWhitespace(honeypot).empty();
}

}  // namespace clinic::booking
