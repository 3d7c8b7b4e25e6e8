#include "services/common/text/text.h"

#include "gtest/gtest.h"
#include "services/common/text/email.h"
#include "services/common/text/phone.h"

namespace clinic::text {
namespace {

TEST(NormalizePhoneTest, FormatsToE164) {
  EXPECT_EQ(*NormalizePhone("(415) 555-0132", "US"), "+14155550132");
  EXPECT_EQ(*NormalizePhone(" 415.555.0132 ", "US"), "+14155550132");
  EXPECT_EQ(*NormalizePhone("+49 30 1234567", "US"), "+49301234567");
  EXPECT_EQ(*NormalizePhone("030 1234567", "DE"), "+49301234567");
}

TEST(NormalizePhoneTest, RefusesNumbersThatAreNotValidForTheRegion) {
  EXPECT_EQ(NormalizePhone(" 12 ", "US").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NormalizePhone("12345", "US").status().code(),
            absl::StatusCode::kInvalidArgument);
  // Possible (ten digits) but not valid: no US area code starts with 1.
  EXPECT_EQ(NormalizePhone("(123) 555-0142", "US").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NormalizePhone("+49 1", "US").status().message(),
            "is not a valid phone number; check the digits");
}

TEST(NormalizePhoneTest, RefusesNoDigitsOddCharactersAndLength) {
  EXPECT_EQ(NormalizePhone("call me", "US").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NormalizePhone("--", "US").status().message(), "has no digits");
  EXPECT_FALSE(NormalizePhone("555-0132; DROP", "US").ok());
  EXPECT_FALSE(NormalizePhone(std::string(33, '1'), "US").ok());
}

TEST(NormalizeEmailTest, TrimsAndLowercasesTheDomain) {
  EXPECT_EQ(*NormalizeEmail("  Jane.Doe@Example.COM "), "Jane.Doe@example.com");
  EXPECT_EQ(*NormalizeEmail("a+tag@sub.example.org"), "a+tag@sub.example.org");
}

TEST(NormalizeEmailTest, RefusesMalformed) {
  for (const char* bad :
       {"", "plain", "a@b", "a@@b.com", "a@b@c.com", "@example.com",
        "a b@example.com", "a@exa mple.com", "a@-example.com", "a@example.c",
        ".a@example.com", "a..b@example.com", "a@example.123"}) {
    EXPECT_FALSE(NormalizeEmail(bad).ok()) << bad;
  }
  EXPECT_FALSE(NormalizeEmail(std::string(250, 'a') + "@x.com").ok());
}

TEST(CollapseSpacesTest, TrimsAndFolds) {
  EXPECT_EQ(CollapseSpaces("  Mary \t  Ann  "), "Mary Ann");
  EXPECT_EQ(CollapseSpaces(""), "");
}

TEST(CodePointsTest, CountsUtf8) {
  EXPECT_EQ(CodePoints("Zoë"), 3u);
  EXPECT_EQ(CodePoints("日本"), 2u);
}

TEST(Utf8CodePointsTest, CountsValidUtf8AndRefusesTheRest) {
  EXPECT_EQ(Utf8CodePoints(""), 0);
  EXPECT_EQ(Utf8CodePoints("abc"), 3);
  EXPECT_EQ(Utf8CodePoints("é😀"), 2);
  EXPECT_EQ(Utf8CodePoints("\xc0\xaf"), -1);      // overlong
  EXPECT_EQ(Utf8CodePoints("\xed\xa0\x80"), -1);  // surrogate
  EXPECT_EQ(Utf8CodePoints("\xe2\x82"), -1);      // cut short
}

TEST(IsUuidTest, AcceptsTheTextFormOnly) {
  EXPECT_TRUE(IsUuid("8f3c2a1e-0b7d-4c1a-9e2f-3d4c5b6a7e8f"));
  EXPECT_TRUE(IsUuid("8F3C2A1E-0B7D-4C1A-9E2F-3D4C5B6A7E8F"));
  EXPECT_FALSE(IsUuid("8f3c2a1e0b7d4c1a9e2f3d4c5b6a7e8f"));
  EXPECT_FALSE(IsUuid("8f3c2a1e-0b7d-4c1a-9e2f-3d4c5b6a7e8g"));
  EXPECT_FALSE(IsUuid(""));
}

TEST(IdOfTest, TakesWhatFollowsTheFirstSlash) {
  EXPECT_EQ(IdOf("patients/7"), "7");
  EXPECT_EQ(IdOf("staff/1/sessions/2"), "1/sessions/2");
  EXPECT_EQ(IdOf("plain"), "plain");
}

TEST(ValidateRequestIdTest, PrintableAndShort) {
  EXPECT_TRUE(ValidateRequestId("").ok());
  EXPECT_TRUE(ValidateRequestId("7c1e-4b").ok());
  EXPECT_FALSE(ValidateRequestId("has space").ok());
  EXPECT_FALSE(ValidateRequestId(std::string(65, 'a')).ok());
}

TEST(ValidateRequestIdTest, PrintableAsciiUpTo64) {
  EXPECT_TRUE(ValidateRequestId("").ok());
  EXPECT_TRUE(ValidateRequestId("8c1d-req").ok());
  EXPECT_EQ(ValidateRequestId(std::string(65, 'a')).message(),
            "request_id: longer than 64 characters");
  EXPECT_EQ(ValidateRequestId("a b").message(),
            "request_id: must be printable ASCII without spaces");
}

}  // namespace
}  // namespace clinic::text
