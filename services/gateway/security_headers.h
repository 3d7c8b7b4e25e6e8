#ifndef CLINIC_SERVICES_GATEWAY_SECURITY_HEADERS_H_
#define CLINIC_SERVICES_GATEWAY_SECURITY_HEADERS_H_

#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace clinic::gateway {

// The Content-Security-Policy of every response: only this origin's scripts,
// styles, images (and data: images), fonts and fetches; no inline script or
// style, no plugins, no <base>, forms post only here, and no framing.
inline constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";

// The headers every response carries (files, errors, RPCs, health): name,
// value. Cache-Control is set per response (no-store unless a file says
// otherwise).
const std::vector<std::pair<absl::string_view, absl::string_view>>&
SecurityHeaders();

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_SECURITY_HEADERS_H_
