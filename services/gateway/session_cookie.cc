#include "services/gateway/session_cookie.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace clinic::gateway {
namespace {

constexpr char kAttributes[] = "; Path=/; HttpOnly; SameSite=Strict";
constexpr char kSecureAttributes[] =
    "; Path=/; HttpOnly; Secure; SameSite=Strict";

}  // namespace

absl::string_view SessionCookie::name() const {
  return secure ? kSecureSessionCookieName : kInsecureSessionCookieName;
}

std::string SessionCookie::Set(absl::string_view token) const {
  return absl::StrCat(name(), "=", token,
                      secure ? kSecureAttributes : kAttributes);
}

std::string SessionCookie::Clear() const {
  return absl::StrCat(name(), "=; Max-Age=0",
                      secure ? kSecureAttributes : kAttributes);
}

std::optional<std::string> SessionCookie::Find(
    const std::vector<absl::string_view>& cookie_headers) const {
  for (absl::string_view header : cookie_headers) {
    // Several cookies of the same name can sit in one header; take the first
    // well-formed one.
    absl::string_view rest = header;
    while (std::optional<absl::string_view> value =
               FindCookieValue(rest, name())) {
      if (IsSessionToken(*value)) return std::string(*value);
      // Continue after this occurrence.
      rest = rest.substr(value->data() + value->size() - rest.data());
    }
  }
  return std::nullopt;
}

bool IsSessionToken(absl::string_view token) {
  if (token.size() < 16 || token.size() > 512) return false;
  absl::string_view body = token;
  while (absl::ConsumeSuffix(&body, "=")) {
  }
  if (token.size() - body.size() > 2 || body.empty()) return false;
  for (char c : body) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_') return false;
  }
  return true;
}

std::optional<absl::string_view> FindCookieValue(absl::string_view header,
                                                 absl::string_view name) {
  for (absl::string_view pair : absl::StrSplit(header, ';')) {
    pair = absl::StripAsciiWhitespace(pair);
    size_t eq = pair.find('=');
    if (eq == absl::string_view::npos) continue;
    if (absl::StripTrailingAsciiWhitespace(pair.substr(0, eq)) != name) {
      continue;
    }
    absl::string_view value =
        absl::StripLeadingAsciiWhitespace(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return std::nullopt;
}

}  // namespace clinic::gateway
