#include "services/screenings/validation.h"

#include "gtest/gtest.h"
#include "services/common/status/errors.h"

namespace clinic::screenings {
namespace {

v1::ContactRequest Valid() {
  v1::ContactRequest r;
  r.set_given_name("  Maya   ");
  r.set_family_name("Okafor");
  r.set_phone("(303) 555-0142");
  r.set_email("Maya@Example.COM");
  r.set_preferred_channel(v1::CONTACT_CHANNEL_PHONE);
  r.set_concern("  Inner knee pain after long runs,\nsince March.  ");
  r.set_body_area(v1::BODY_AREA_KNEE);
  r.set_consent_to_contact(true);
  r.set_source(v1::CONTACT_SOURCE_WEB_FORM);
  r.set_campaign("conditions/inner-knee-pain");
  return r;
}

std::vector<std::string> Fields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const auto& v : status::FieldViolationsOf(s)) out.push_back(v.field);
  return out;
}

TEST(ValidationTest, NormalizesAValidRequest) {
  v1::ContactRequest r = Valid();
  r.set_state(v1::CONTACT_REQUEST_STATE_CONVERTED);  // output only: dropped
  ASSERT_TRUE(NormalizeAndValidate("contact_request", "US", r).ok());
  EXPECT_EQ(r.given_name(), "Maya");
  EXPECT_EQ(r.phone(), "+13035550142");
  EXPECT_EQ(r.email(), "Maya@example.com");
  EXPECT_EQ(r.concern(), "Inner knee pain after long runs,\nsince March.");
  EXPECT_EQ(r.state(), v1::CONTACT_REQUEST_STATE_UNSPECIFIED);
}

TEST(ValidationTest, ReportsEveryInvalidFieldAtOnce) {
  v1::ContactRequest r;
  r.set_source(v1::CONTACT_SOURCE_WEB_FORM);
  r.set_campaign("<script>");
  absl::Status s = NormalizeAndValidate("contact_request", "US", r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Fields(s),
      (std::vector<std::string>{
          "contact_request.given_name", "contact_request.phone",
          "contact_request.consent_to_contact", "contact_request.campaign"}));
}

TEST(ValidationTest, ThePreferredChannelNeedsItsAddress) {
  v1::ContactRequest r = Valid();
  r.clear_email();
  r.set_preferred_channel(v1::CONTACT_CHANNEL_EMAIL);
  EXPECT_EQ(Fields(NormalizeAndValidate("", "US", r)),
            std::vector<std::string>{"email"});
  r = Valid();
  r.clear_phone();
  r.set_preferred_channel(v1::CONTACT_CHANNEL_SMS);
  EXPECT_EQ(Fields(NormalizeAndValidate("", "US", r)),
            std::vector<std::string>{"phone"});
}

TEST(ValidationTest, RefusesBadAddressesControlCharactersAndLengths) {
  v1::ContactRequest r = Valid();
  r.set_email("not-an-email");
  r.set_phone("call me maybe");
  r.set_given_name("A\x01");
  r.set_concern(std::string(2001, 'x'));
  r.set_location("locations/../../etc");
  EXPECT_EQ(Fields(NormalizeAndValidate("", "US", r)),
            (std::vector<std::string>{"given_name", "phone", "email",
                                      "location", "concern"}));
}

TEST(ValidationTest, MarkupIsKeptAsText) {
  v1::ContactRequest r = Valid();
  r.set_given_name("<img src=x onerror=alert(1)>");
  ASSERT_TRUE(NormalizeAndValidate("", "US", r).ok());
  EXPECT_EQ(r.given_name(), "<img src=x onerror=alert(1)>");
}

TEST(ValidationTest, Names) {
  EXPECT_EQ(*ParseContactRequestName(
                "name", "contactRequests/8F3C2A1E-0B7D-4C1A-9E2F-3D4C5B6A7E8F"),
            "8f3c2a1e-0b7d-4c1a-9e2f-3d4c5b6a7e8f");
  EXPECT_FALSE(ParseContactRequestName("name", "patients/x").ok());
  EXPECT_TRUE(IsOpen(v1::CONTACT_REQUEST_STATE_NEW));
  EXPECT_FALSE(IsOpen(v1::CONTACT_REQUEST_STATE_SCREENING_BOOKED));
}

}  // namespace
}  // namespace clinic::screenings
