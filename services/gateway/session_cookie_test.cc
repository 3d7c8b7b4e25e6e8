#include "services/gateway/session_cookie.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

constexpr char kToken[] = "Zm9vYmFyYmF6cXV4LXRva2VuX3Rlc3Q";

TEST(SessionCookieTest, SecureCookieHasTheHostPrefixAndEveryAttribute) {
  SessionCookie cookie{/*secure=*/true};
  EXPECT_EQ(cookie.name(), "__Host-clinic_session");
  EXPECT_EQ(cookie.Set(kToken),
            std::string("__Host-clinic_session=") + kToken +
                "; Path=/; HttpOnly; Secure; SameSite=Strict");
  EXPECT_EQ(cookie.Clear(),
            "__Host-clinic_session=; Max-Age=0; Path=/; HttpOnly; Secure; "
            "SameSite=Strict");
}

TEST(SessionCookieTest, InsecureCookieHasNoPrefixAndNoSecure) {
  SessionCookie cookie{/*secure=*/false};
  EXPECT_EQ(cookie.name(), "clinic_session");
  EXPECT_EQ(cookie.Set(kToken), std::string("clinic_session=") + kToken +
                                    "; Path=/; HttpOnly; SameSite=Strict");
  EXPECT_EQ(cookie.Clear(),
            "clinic_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
}

TEST(SessionCookieTest, FindsTheConfiguredCookieAmongOthers) {
  SessionCookie secure{true};
  const std::string header =
      std::string("theme=dark; __Host-clinic_session=") + kToken + ";lang=en";
  EXPECT_EQ(secure.Find({header}).value_or(""), kToken);
  // Only the configured name counts.
  SessionCookie insecure{false};
  EXPECT_FALSE(insecure.Find({header}).has_value());
  EXPECT_EQ(
      insecure.Find({std::string("clinic_session=") + kToken}).value_or(""),
      kToken);
  // Not a prefix or suffix match.
  EXPECT_FALSE(
      insecure.Find({std::string("xclinic_session=") + kToken}).has_value());
  EXPECT_FALSE(secure.Find({std::string("__host-clinic_session=") + kToken})
                   .has_value());
}

TEST(SessionCookieTest, SeveralHeadersAndRepeatedNames) {
  SessionCookie cookie{true};
  EXPECT_EQ(
      cookie.Find({"a=1", std::string("b=2; __Host-clinic_session=") + kToken})
          .value_or(""),
      kToken);
  // A malformed first occurrence is skipped, the next well-formed one used.
  EXPECT_EQ(cookie
                .Find({std::string("__Host-clinic_session=<bad>; "
                                   "__Host-clinic_session=") +
                       kToken})
                .value_or(""),
            kToken);
  EXPECT_FALSE(cookie.Find({}).has_value());
  EXPECT_FALSE(cookie.Find({""}).has_value());
  EXPECT_FALSE(cookie.Find({"__Host-clinic_session="}).has_value());
  EXPECT_FALSE(
      cookie.Find({"__Host-clinic_session=abc\r\nX-Evil: 1"}).has_value());
}

TEST(SessionCookieTest, QuotedAndSpacedValues) {
  SessionCookie cookie{true};
  EXPECT_EQ(cookie
                .Find({std::string(" __Host-clinic_session = \"") + kToken +
                       "\" ; x=y"})
                .value_or(""),
            kToken);
}

TEST(FindCookieValueTest, Basics) {
  EXPECT_EQ(FindCookieValue("a=1; b=2", "b").value_or("?"), "2");
  EXPECT_EQ(FindCookieValue("a=1;b=", "b").value_or("?"), "");
  EXPECT_EQ(FindCookieValue("a=x=y", "a").value_or("?"), "x=y");
  EXPECT_FALSE(FindCookieValue("a; b", "a").has_value());
  EXPECT_FALSE(FindCookieValue("", "a").has_value());
}

TEST(IsSessionTokenTest, Base64UrlOnly) {
  EXPECT_TRUE(IsSessionToken(kToken));
  EXPECT_TRUE(IsSessionToken("abcdefghijklmnop=="));
  EXPECT_FALSE(IsSessionToken("short"));
  EXPECT_FALSE(IsSessionToken(std::string(513, 'a')));
  EXPECT_FALSE(IsSessionToken("abcdefghijklmnop==="));
  EXPECT_FALSE(IsSessionToken("abcdefgh ijklmnop"));
  EXPECT_FALSE(IsSessionToken("abcdefgh;ijklmnop"));
  EXPECT_FALSE(IsSessionToken("abcdefgh+ijklmno/"));
  EXPECT_FALSE(IsSessionToken("================"));
}

}  // namespace
}  // namespace clinic::gateway
