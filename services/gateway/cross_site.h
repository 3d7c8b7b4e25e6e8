#ifndef CLINIC_SERVICES_GATEWAY_CROSS_SITE_H_
#define CLINIC_SERVICES_GATEWAY_CROSS_SITE_H_

#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinic::gateway {

// What a state-changing request (every POST: Connect RPCs and /auth/*) says
// about where it comes from.
struct RequestSite {
  std::optional<absl::string_view> origin;          // the Origin header
  std::optional<absl::string_view> sec_fetch_site;  // Sec-Fetch-Site
  absl::string_view host;                           // the Host header
};

// The cross-site request defence. The gateway's own origins are
// "http://<Host header>" (it speaks plain HTTP) and `public_origin` when set
// (e.g. "https://clinic.example" behind a TLS proxy). Refused with
// PERMISSION_DENIED, whatever cookie the request carries:
// - an Origin header that is none of those origins ("null" included);
// - Sec-Fetch-Site "cross-site", or "same-site" without an Origin naming one
//   of our origins, or a value this code does not know.
// A request with neither header (curl, scripts) is allowed: browsers send
// them, and SameSite=Strict keeps the session cookie off cross-site requests
// of old browsers. Pure: no I/O.
absl::Status CheckSameOrigin(const RequestSite& site,
                             absl::string_view public_origin);

// Validates and normalizes a configured public origin: "scheme://host[:port]"
// with scheme http or https, no path, query or user info; lower-cased, the
// scheme's default port dropped, a trailing "/" removed. INVALID_ARGUMENT
// otherwise. Empty stays empty.
absl::StatusOr<std::string> NormalizeOrigin(absl::string_view origin);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_CROSS_SITE_H_
