#include "services/gateway/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace clinic::gateway {
namespace {

constexpr char kImmutable[] = "public, max-age=31536000, immutable";
constexpr char kNoCache[] = "no-cache";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

absl::StatusOr<std::string> PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return absl::InvalidArgumentError("malformed percent-escape in path");
      }
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) {
        return absl::InvalidArgumentError("malformed percent-escape in path");
      }
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return absl::InvalidArgumentError("NUL in path");
    out += c;
  }
  return out;
}

absl::string_view ContentTypeForPath(absl::string_view path) {
  struct Entry {
    absl::string_view ext;
    absl::string_view type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".wasm", "application/wasm"},
  };
  size_t slash = path.rfind('/');
  absl::string_view base =
      slash == absl::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = base.rfind('.');
  if (dot == absl::string_view::npos) return "application/octet-stream";
  std::string ext = absl::AsciiStrToLower(base.substr(dot));
  for (const Entry& e : kTypes) {
    if (e.ext == ext) return e.type;
  }
  return "application/octet-stream";
}

absl::StatusOr<StaticFile> ResolveStaticPath(absl::string_view target) {
  // Drop the query and fragment; they never name a file.
  target = target.substr(0, target.find_first_of("?#"));
  if (target.empty() || target.front() != '/') {
    return absl::InvalidArgumentError("path must start with /");
  }
  absl::StatusOr<std::string> decoded = PercentDecode(target);
  if (!decoded.ok()) return decoded.status();
  if (decoded->find('\\') != std::string::npos) {
    return absl::InvalidArgumentError("backslash in path");
  }
  std::vector<std::string> segments;
  for (absl::string_view seg : absl::StrSplit(*decoded, '/')) {
    if (seg.empty()) continue;
    if (seg == "." || seg == "..") {
      return absl::InvalidArgumentError("path traversal refused");
    }
    segments.emplace_back(seg);
  }
  const bool trailing_slash = decoded->back() == '/';

  std::string relative;
  if (!segments.empty() && segments[0] == "staff" &&
      (segments.size() == 1 ||
       segments.back().find('.') == std::string::npos)) {
    // The staff app routes on the client: every such path loads its shell.
    relative = "staff/index.html";
  } else if (segments.empty()) {
    relative = "index.html";
  } else {
    relative = absl::StrJoin(segments, "/");
    if (trailing_slash) relative += "/index.html";
  }

  StaticFile file;
  file.content_type = std::string(ContentTypeForPath(relative));
  file.cache_control =
      absl::StartsWith(relative, "assets/") ? kImmutable : kNoCache;
  file.relative_path = std::move(relative);
  return file;
}

absl::StatusOr<std::string> ReadStaticFile(const std::string& web_root,
                                           const std::string& relative_path) {
  namespace fs = std::filesystem;
  const fs::path path = fs::path(web_root) / relative_path;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return absl::NotFoundError(absl::StrCat("no such file: /", relative_path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot open: /", relative_path));
  }
  std::ostringstream data;
  data << in.rdbuf();
  return data.str();
}

}  // namespace clinic::gateway
