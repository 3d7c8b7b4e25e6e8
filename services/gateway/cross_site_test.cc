#include "services/gateway/cross_site.h"

#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

constexpr absl::StatusCode kRefused = absl::StatusCode::kPermissionDenied;

RequestSite Site(std::optional<absl::string_view> origin,
                 std::optional<absl::string_view> fetch_site,
                 absl::string_view host = "127.0.0.1:8080") {
  return RequestSite{origin, fetch_site, host};
}

TEST(CheckSameOriginTest, NoHeadersIsAllowed) {
  EXPECT_TRUE(CheckSameOrigin(Site(std::nullopt, std::nullopt), "").ok());
}

TEST(CheckSameOriginTest, OwnOriginFromTheHostHeader) {
  EXPECT_TRUE(
      CheckSameOrigin(Site("http://127.0.0.1:8080", std::nullopt), "").ok());
  EXPECT_TRUE(
      CheckSameOrigin(
          Site("http://LOCALHOST:8080", "same-origin", "localhost:8080"), "")
          .ok());
  // Default port on one side only.
  EXPECT_TRUE(
      CheckSameOrigin(
          Site("http://clinic.example", std::nullopt, "clinic.example:80"), "")
          .ok());
}

TEST(CheckSameOriginTest, OtherOriginsAreRefused) {
  for (absl::string_view origin :
       {"http://evil.example", "http://127.0.0.1:8081",
        "https://127.0.0.1:8080", "null", "",
        "http://127.0.0.1:8080.evil.example", "http://127.0.0.1:8080/path",
        "file://"}) {
    EXPECT_EQ(CheckSameOrigin(Site(origin, std::nullopt), "").code(), kRefused)
        << origin;
  }
  // A valid Sec-Fetch-Site does not rescue a foreign Origin.
  EXPECT_EQ(
      CheckSameOrigin(Site("http://evil.example", "same-origin"), "").code(),
      kRefused);
}

TEST(CheckSameOriginTest, PublicOriginIsOursToo) {
  const char kPublic[] = "https://clinic.example";
  EXPECT_TRUE(CheckSameOrigin(Site("https://clinic.example", "same-origin",
                                   "10.0.0.5:8080"),
                              kPublic)
                  .ok());
  EXPECT_TRUE(CheckSameOrigin(Site("https://clinic.example:443", std::nullopt,
                                   "10.0.0.5:8080"),
                              kPublic)
                  .ok());
  EXPECT_EQ(
      CheckSameOrigin(
          Site("http://clinic.example", std::nullopt, "10.0.0.5:8080"), kPublic)
          .code(),
      kRefused);
}

TEST(CheckSameOriginTest, SecFetchSite) {
  EXPECT_TRUE(CheckSameOrigin(Site(std::nullopt, "same-origin"), "").ok());
  EXPECT_TRUE(CheckSameOrigin(Site(std::nullopt, "none"), "").ok());
  EXPECT_EQ(CheckSameOrigin(Site(std::nullopt, "cross-site"), "").code(),
            kRefused);
  EXPECT_EQ(CheckSameOrigin(Site(std::nullopt, "Cross-Site"), "").code(),
            kRefused);
  // Same site but another origin (another subdomain or port).
  EXPECT_EQ(CheckSameOrigin(Site(std::nullopt, "same-site"), "").code(),
            kRefused);
  EXPECT_EQ(CheckSameOrigin(
                Site("http://app.example", "same-site", "api.example"), "")
                .code(),
            kRefused);
  // ... unless the Origin is ours (a redirect through a sibling site).
  EXPECT_TRUE(
      CheckSameOrigin(Site("http://127.0.0.1:8080", "same-site"), "").ok());
  EXPECT_EQ(CheckSameOrigin(Site(std::nullopt, "bogus"), "").code(), kRefused);
}

TEST(CheckSameOriginTest, MessageSaysWhy) {
  absl::Status s =
      CheckSameOrigin(Site("http://evil.example", std::nullopt), "");
  EXPECT_EQ(s.message(),
            "cross-site request refused (Origin is not this site)");
}

TEST(NormalizeOriginTest, AcceptsAndNormalizes) {
  EXPECT_EQ(NormalizeOrigin("").value(), "");
  EXPECT_EQ(NormalizeOrigin("https://Clinic.Example/").value(),
            "https://clinic.example");
  EXPECT_EQ(NormalizeOrigin("https://clinic.example:443").value(),
            "https://clinic.example");
  EXPECT_EQ(NormalizeOrigin("http://clinic.example:8080").value(),
            "http://clinic.example:8080");
  EXPECT_EQ(NormalizeOrigin("http://[::1]:8080").value(), "http://[::1]:8080");
}

TEST(NormalizeOriginTest, RefusesWhatIsNotAnOrigin) {
  for (absl::string_view bad :
       {"clinic.example", "ftp://clinic.example", "https://", "https://a/b",
        "https://user@clinic.example", "https://clinic.example?x=1"}) {
    EXPECT_FALSE(NormalizeOrigin(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace clinic::gateway
