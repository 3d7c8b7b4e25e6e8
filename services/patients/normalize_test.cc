#include "services/patients/normalize.h"

#include "gtest/gtest.h"

namespace clinic::patients {
namespace {

TEST(NormalizePhoneTest, FormatsToE164) {
  EXPECT_EQ(*NormalizePhone("(415) 555-0132", "US"), "+14155550132");
  EXPECT_EQ(*NormalizePhone(" 415.555.0132 ", "US"), "+14155550132");
  EXPECT_EQ(*NormalizePhone("+49 30 1234567", "US"), "+49301234567");
  EXPECT_EQ(*NormalizePhone("030 1234567", "DE"), "+49301234567");
}

TEST(NormalizePhoneTest, KeepsWhatCannotBeParsedAsTyped) {
  EXPECT_EQ(*NormalizePhone(" 12 ", "US"), "12");
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

}  // namespace
}  // namespace clinic::patients
