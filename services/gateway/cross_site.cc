#include "services/gateway/cross_site.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace clinic::gateway {
namespace {

bool IsHostChar(char c) {
  // Host names, IPv4, bracketed IPv6 and the port.
  return absl::ascii_isalnum(c) || c == '.' || c == '-' || c == ':' ||
         c == '[' || c == ']' || c == '_';
}

absl::Status CrossSite(absl::string_view why) {
  return absl::PermissionDeniedError(
      absl::StrCat("cross-site request refused (", why, ")"));
}

}  // namespace

absl::StatusOr<std::string> NormalizeOrigin(absl::string_view origin) {
  if (origin.empty()) return std::string();
  std::string text = absl::AsciiStrToLower(origin);
  absl::string_view rest = text;
  absl::ConsumeSuffix(&rest, "/");
  std::string scheme;
  if (absl::ConsumePrefix(&rest, "http://")) {
    scheme = "http";
  } else if (absl::ConsumePrefix(&rest, "https://")) {
    scheme = "https";
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "origin \"", origin, "\" must start with http:// or https://"));
  }
  if (rest.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("origin \"", origin, "\" has no host"));
  }
  for (char c : rest) {
    if (!IsHostChar(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "origin \"", origin,
          "\" must be scheme://host[:port] without path, query or user"));
    }
  }
  if (scheme == "http") absl::ConsumeSuffix(&rest, ":80");
  if (scheme == "https") absl::ConsumeSuffix(&rest, ":443");
  return absl::StrCat(scheme, "://", rest);
}

absl::Status CheckSameOrigin(const RequestSite& site,
                             absl::string_view public_origin) {
  bool origin_is_ours = false;
  if (site.origin.has_value()) {
    absl::StatusOr<std::string> origin = NormalizeOrigin(*site.origin);
    if (origin.ok() && !origin->empty()) {
      absl::StatusOr<std::string> own =
          NormalizeOrigin(absl::StrCat("http://", site.host));
      origin_is_ours = (!site.host.empty() && own.ok() && *origin == *own) ||
                       (!public_origin.empty() &&
                        *origin == NormalizeOrigin(public_origin).value_or(""));
    }
    if (!origin_is_ours) return CrossSite("Origin is not this site");
  }
  if (site.sec_fetch_site.has_value()) {
    const std::string value = absl::AsciiStrToLower(*site.sec_fetch_site);
    if (value == "same-origin" || value == "none") return absl::OkStatus();
    if (value == "same-site" && origin_is_ours) return absl::OkStatus();
    return CrossSite(absl::StrCat("Sec-Fetch-Site: ", value.substr(0, 20)));
  }
  return absl::OkStatus();
}

}  // namespace clinic::gateway
