#include "services/gateway/static_files.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

std::string Resolve(absl::string_view target) {
  absl::StatusOr<StaticFile> f = ResolveStaticPath(target);
  return f.ok() ? f->relative_path : "ERROR";
}

TEST(ResolveStaticPathTest, PublicSite) {
  EXPECT_EQ(Resolve("/"), "index.html");
  EXPECT_EQ(Resolve("/?utm=x"), "index.html");
  EXPECT_EQ(Resolve("/index.html"), "index.html");
  EXPECT_EQ(Resolve("/favicon.ico"), "favicon.ico");
  EXPECT_EQ(Resolve("/docs/"), "docs/index.html");
  EXPECT_EQ(Resolve("/assets/app-1a2b.js"), "assets/app-1a2b.js");
  EXPECT_EQ(Resolve("//assets//x.css"), "assets/x.css");
  EXPECT_EQ(Resolve("/a%20b.txt"), "a b.txt");
}

TEST(ResolveStaticPathTest, StaffRoutesLoadTheStaffShell) {
  EXPECT_EQ(Resolve("/staff"), "staff/index.html");
  EXPECT_EQ(Resolve("/staff/"), "staff/index.html");
  EXPECT_EQ(Resolve("/staff/patients/123?tab=notes"), "staff/index.html");
  EXPECT_EQ(Resolve("/staff/index.html"), "staff/index.html");
  EXPECT_EQ(Resolve("/staff/robots.txt"), "staff/robots.txt");
  EXPECT_EQ(Resolve("/staffroom"), "staffroom");
}

TEST(ResolveStaticPathTest, TraversalAndBadEscapesAreRefused) {
  for (const char* bad :
       {"/..", "/../etc/passwd", "/assets/../../etc/passwd",
        "/%2e%2e/etc/passwd", "/%2E%2E%2Fetc%2Fpasswd",
        "/assets/..%2f..%2fsecret", "/a/./b", "/staff/../../x", "/a%00.html",
        "/a%zz", "/a%2", "/a%", "/a\\..\\b", "/a%5c..%5cb", "relative", ""}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(ResolveStaticPath(bad).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  // A dot inside a name is fine.
  EXPECT_EQ(Resolve("/a..b.txt"), "a..b.txt");
}

TEST(ResolveStaticPathTest, ContentTypesAndCaching) {
  absl::StatusOr<StaticFile> html = ResolveStaticPath("/");
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(html->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(html->cache_control, "no-cache");
  absl::StatusOr<StaticFile> js = ResolveStaticPath("/assets/index-Bx1.js");
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js->cache_control, "public, max-age=31536000, immutable");
  EXPECT_EQ(ContentTypeForPath("a/b.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeForPath("x.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeForPath("x.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeForPath("x.unknown"), "application/octet-stream");
  EXPECT_EQ(ContentTypeForPath("no_extension"), "application/octet-stream");
  EXPECT_EQ(ContentTypeForPath("dir.d/file"), "application/octet-stream");
}

TEST(ReadStaticFileTest, ReadsFilesAndRefusesDirectories) {
  namespace fs = std::filesystem;
  const char* tmp = std::getenv("TEST_TMPDIR");
  fs::path root = fs::path(tmp ? tmp : "/tmp") / "static_files_test";
  fs::create_directories(root / "assets");
  std::ofstream(root / "index.html") << "<html>hi</html>";
  EXPECT_EQ(*ReadStaticFile(root.string(), "index.html"), "<html>hi</html>");
  EXPECT_EQ(ReadStaticFile(root.string(), "assets").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadStaticFile(root.string(), "missing.js").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace clinic::gateway
