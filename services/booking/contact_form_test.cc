#include "services/booking/contact_form.h"

#include "gtest/gtest.h"
#include "services/common/status/errors.h"

namespace clinic::booking {
namespace {

TEST(ContactFormTest, MapsTheFormOntoAWebContactRequest) {
  v1::RequestContactRequest f;
  f.set_given_name("Maya");
  f.set_phone("303 555 0142");
  f.set_preferred_contact(v1::PREFERRED_CONTACT_SMS);
  f.set_pain_area(v1::PAIN_AREA_KNEE);
  f.set_consent_to_contact(true);
  f.set_campaign("conditions/inner-knee-pain");
  screenings::v1::ContactRequest c = ToContactRequest(f);
  EXPECT_EQ(c.given_name(), "Maya");
  EXPECT_EQ(c.preferred_channel(), screenings::v1::CONTACT_CHANNEL_SMS);
  EXPECT_EQ(c.body_area(), screenings::v1::BODY_AREA_KNEE);
  EXPECT_EQ(c.source(), screenings::v1::CONTACT_SOURCE_WEB_FORM);
  EXPECT_TRUE(c.consent_to_contact());
  EXPECT_EQ(c.campaign(), "conditions/inner-knee-pain");
}

TEST(ContactFormTest, TheEnumsShareTheirNumbering) {
  for (int i = 0; i <= 3; ++i) {
    EXPECT_EQ(v1::PreferredContact_Name(i).substr(18),
              screenings::v1::ContactChannel_Name(i).substr(16))
        << i;
  }
  for (int i = 0; i <= 7; ++i) {
    EXPECT_EQ(v1::PainArea_Name(i).substr(10),
              screenings::v1::BodyArea_Name(i).substr(10))
        << i;
  }
}

TEST(ContactFormTest, FieldErrorsSpeakOfTheFormsFields) {
  absl::Status s = ForTheForm(status::InvalidFields(
      {{"contact_request.given_name", "is required"},
       {"contact_request.preferred_channel", "is not a known channel"},
       {"contact_request.body_area", "is not a known body area"}}));
  std::vector<status::FieldViolation> v = status::FieldViolationsOf(s);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].field, "given_name");
  EXPECT_EQ(v[1].field, "preferred_contact");
  EXPECT_EQ(v[2].field, "pain_area");
  EXPECT_EQ(s.message(),
            "given_name: is required; preferred_contact: is not a known "
            "channel; pain_area: is not a known body area");
  EXPECT_EQ(ForTheForm(absl::UnavailableError("x")).code(),
            absl::StatusCode::kUnavailable);
}

TEST(ContactFormTest, TheHoneypot) {
  EXPECT_FALSE(IsAutomated(""));
  EXPECT_FALSE(IsAutomated("  "));
  EXPECT_TRUE(IsAutomated("http://spam.example"));
}

}  // namespace
}  // namespace clinic::booking
