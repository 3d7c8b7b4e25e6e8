#ifndef CLINIC_SERVICES_GATEWAY_SESSION_COOKIE_H_
#define CLINIC_SERVICES_GATEWAY_SESSION_COOKIE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace clinic::gateway {

// The staff session cookie. By default (secure) it is
//   __Host-clinic_session=<token>; Path=/; HttpOnly; Secure; SameSite=Strict
// The __Host- prefix makes the browser refuse it unless it is Secure, has
// Path=/ and no Domain, so no sibling (sub)domain can plant or shadow it.
// Browsers keep Secure cookies from http://localhost and http://127.0.0.1
// (potentially trustworthy origins), so secure is right for local use too;
// insecure ("clinic_session", no Secure, no prefix) is only for plain-HTTP
// deployments on another host name (--cookie_secure=false).
struct SessionCookie {
  bool secure = true;

  // "__Host-clinic_session" or "clinic_session".
  absl::string_view name() const;
  // The Set-Cookie value starting a session. `token` must be a session token
  // (IsSessionToken).
  std::string Set(absl::string_view token) const;
  // The Set-Cookie value that makes the browser forget the cookie.
  std::string Clear() const;
  // The token of this cookie in the request's Cookie headers (a browser
  // sends one; every one is read), or nullopt. The first well-formed
  // occurrence wins (browsers list the most specific cookie first).
  std::optional<std::string> Find(
      const std::vector<absl::string_view>& cookie_headers) const;
};

inline constexpr char kSecureSessionCookieName[] = "__Host-clinic_session";
inline constexpr char kInsecureSessionCookieName[] = "clinic_session";

// True for 16 to 512 characters of base64url ([A-Za-z0-9_-]) with optional
// '=' padding: what the staff service issues, and nothing that could break a
// header.
bool IsSessionToken(absl::string_view token);

// The value of cookie `name` in one Cookie header ("a=1; b=2"), or nullopt.
// Names are case-sensitive; a value in double quotes is unquoted.
std::optional<absl::string_view> FindCookieValue(absl::string_view header,
                                                 absl::string_view name);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_SESSION_COOKIE_H_
