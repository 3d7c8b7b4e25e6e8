#include "services/gateway/security_headers.h"

namespace clinic::gateway {

const std::vector<std::pair<absl::string_view, absl::string_view>>&
SecurityHeaders() {
  static const auto* const kHeaders =
      new std::vector<std::pair<absl::string_view, absl::string_view>>{
          {"Content-Security-Policy", kContentSecurityPolicy},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "same-origin"},
          {"X-Frame-Options", "DENY"},
          {"Cross-Origin-Opener-Policy", "same-origin"},
      };
  return *kHeaders;
}

}  // namespace clinic::gateway
