// The contact-us funnel across processes' boundaries: an anonymous browser
// posts the public form (gateway -> booking -> screenings -> PostgreSQL) and
// the front desk works the request from its queue.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/integration/system.h"

namespace clinic::integration {
namespace {

using gateway::testing::HttpResponse;

constexpr char kRequestContact[] =
    "/clinic.booking.v1.BookingService/RequestContact";
constexpr char kQueue[] =
    "/clinic.screenings.v1.ScreeningService/ListContactRequests";
constexpr char kAttempt[] =
    "/clinic.screenings.v1.ScreeningService/RecordContactAttempt";

class ContactRequestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sys_ = new System();
    desk_ = new std::string(sys_->AdminAndFrontDesk("contact.example").second);
  }
  static System* sys_;
  static std::string* desk_;
};

System* ContactRequestTest::sys_;
std::string* ContactRequestTest::desk_;

TEST_F(ContactRequestTest, TheFormReachesTheFrontDesksQueue) {
  HttpResponse r = sys_->Post(
      kRequestContact,
      R"({"requestId":"f1","givenName":"<b>Maya</b>","phone":"303 555 0142",)"
      R"("preferredContact":"PREFERRED_CONTACT_PHONE","painArea":"PAIN_AREA_KNEE",)"
      R"("concern":"inner knee pain on hills","consentToContact":true,)"
      R"("campaign":"conditions/inner-knee-pain"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("will contact you"), std::string::npos) << r.body;
  // The answer names nothing the person did not send.
  EXPECT_EQ(r.body.find("contactRequests/"), std::string::npos) << r.body;

  HttpResponse queue = sys_->Post(kQueue, "{}", *desk_);
  ASSERT_EQ(queue.status, 200) << queue.body;
  EXPECT_NE(queue.body.find(R"("givenName":"\u003cb\u003eMaya\u003c/b\u003e")"),
            std::string::npos)
      << queue.body;
  EXPECT_NE(queue.body.find(R"("phone":"+13035550142")"), std::string::npos);
  EXPECT_NE(queue.body.find("CONTACT_SOURCE_WEB_FORM"), std::string::npos);
  const std::string name = Field(queue.body, "name");
  ASSERT_TRUE(absl::StartsWith(name, "contactRequests/")) << queue.body;

  HttpResponse attempt = sys_->Post(
      kAttempt,
      absl::StrCat(R"({"name":")", name,
                   R"(","outcome":"CONTACT_OUTCOME_REACHED",)"
                   R"("nextState":"CONTACT_REQUEST_STATE_SCREENING_BOOKED"})"),
      *desk_);
  ASSERT_EQ(attempt.status, 200) << attempt.body;
  EXPECT_NE(attempt.body.find("CONTACT_REQUEST_STATE_SCREENING_BOOKED"),
            std::string::npos);
  // Creating requests directly is for services only: not there for browsers.
  EXPECT_EQ(sys_->Post("/clinic.screenings.v1.ScreeningService/"
                       "CreateContactRequest",
                       "{}", *desk_)
                .status,
            404);
}

TEST_F(ContactRequestTest, RefusalsNameTheFormsFields) {
  HttpResponse r = sys_->Post(
      kRequestContact,
      R"({"requestId":"f2","preferredContact":"PREFERRED_CONTACT_EMAIL"})");
  ASSERT_EQ(r.status, 400) << r.body;
  // given_name, phone (or email), email (for the preference), consent.
  EXPECT_NE(r.body.find("given_name: is required"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("consent_to_contact: is needed"), std::string::npos)
      << r.body;
  EXPECT_EQ(r.body.find("contact_request."), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("type":"google.rpc.BadRequest")"), std::string::npos)
      << r.body;
}

TEST_F(ContactRequestTest, TheHoneypotIsAnsweredButNotStored) {
  HttpResponse r = sys_->Post(
      kRequestContact,
      R"({"requestId":"f3","givenName":"Bot","phone":"303 555 0100",)"
      R"("consentToContact":true,"website":"http://spam.example"})");
  ASSERT_EQ(r.status, 200) << r.body;
  HttpResponse queue = sys_->Post(kQueue, "{}", *desk_);
  ASSERT_EQ(queue.status, 200);
  EXPECT_EQ(queue.body.find(R"("givenName":"Bot")"), std::string::npos)
      << queue.body;
}

TEST_F(ContactRequestTest, PublicMethodsAreRateLimitedForThePublicOnly) {
  constexpr char kLocations[] =
      "/clinic.appointments.v1.LocationService/ListLocations";
  // Signed-in staff share the practice's address: never limited.
  for (int i = 0; i < 40; ++i) {
    ASSERT_EQ(sys_->Post(kLocations, "{}", *desk_).status, 200) << i;
  }
  // Anonymous callers from one address are, with Retry-After.
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 40; ++i) {
    HttpResponse r = sys_->Post(kLocations, "{}");
    if (r.status == 429) {
      ++limited;
      retry_after = r.Header("retry-after");
    } else {
      EXPECT_EQ(r.status, 200) << r.body;
    }
  }
  EXPECT_GT(limited, 0);
  EXPECT_FALSE(retry_after.empty());
}

}  // namespace
}  // namespace clinic::integration
