#ifndef CLINIC_SERVICES_GATEWAY_STATIC_FILES_H_
#define CLINIC_SERVICES_GATEWAY_STATIC_FILES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinic::gateway {

// What a GET of a static path serves.
struct StaticFile {
  // Path under the web root, never absolute, never with "." or ".." segments:
  // "index.html", "staff/index.html", "assets/app-1a2b.js".
  std::string relative_path;
  std::string content_type;
  std::string cache_control;
};

// Maps a request target ("/staff/patients?x=1") to the file that serves it,
// without touching the filesystem:
// - "/" -> "index.html" (the public site); a path ending in "/" -> its
//   "index.html";
// - "/staff", "/staff/" and "/staff/<route>" whose last segment has no "."
//   (client-side routes of the staff app) -> "staff/index.html";
// - anything else -> the file of that name.
// Percent-escapes are decoded first; a bad escape, a NUL, a backslash or a
// "." / ".." segment is INVALID_ARGUMENT. Files under "assets/" (hashed
// names) are cached for a year as immutable; everything else is "no-cache".
absl::StatusOr<StaticFile> ResolveStaticPath(absl::string_view target);

// Decodes %XX escapes. INVALID_ARGUMENT for a malformed escape or a NUL.
absl::StatusOr<std::string> PercentDecode(absl::string_view text);

// The Content-Type for a file name, by extension; "application/octet-stream"
// when unknown. Text types carry "; charset=utf-8".
absl::string_view ContentTypeForPath(absl::string_view path);

// Reads `relative_path` under `web_root`. NOT_FOUND if it is missing or not a
// regular file.
absl::StatusOr<std::string> ReadStaticFile(const std::string& web_root,
                                           const std::string& relative_path);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_STATIC_FILES_H_
