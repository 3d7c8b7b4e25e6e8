#include "services/gateway/connect_timeout.h"

#include <cstdint>

#include "absl/strings/ascii.h"

namespace clinic::gateway {

absl::StatusOr<absl::Duration> ParseConnectTimeout(
    std::optional<absl::string_view> header, absl::Duration default_timeout) {
  if (!header.has_value()) return default_timeout;
  absl::string_view text = *header;
  if (text.empty() || text.size() > 10) {
    return absl::InvalidArgumentError(
        "Connect-Timeout-Ms must be a positive integer of at most 10 digits");
  }
  int64_t ms = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError(
          "Connect-Timeout-Ms must be a positive integer of at most 10 "
          "digits");
    }
    ms = ms * 10 + (c - '0');
  }
  if (ms == 0) {
    return absl::InvalidArgumentError("Connect-Timeout-Ms must be positive");
  }
  return absl::Milliseconds(ms);
}

}  // namespace clinic::gateway
