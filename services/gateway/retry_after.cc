#include "services/gateway/retry_after.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace clinic::gateway {

std::string RetryAfterValue(absl::Duration wait) {
  const int64_t seconds =
      absl::ToInt64Seconds(absl::Ceil(wait, absl::Seconds(1)));
  return absl::StrCat(std::max<int64_t>(seconds, 1));
}

absl::Duration WaitFromMessage(absl::string_view message,
                               absl::Duration fallback) {
  const std::string text = absl::AsciiStrToLower(message);
  constexpr absl::string_view kPhrase = "try again in ";
  const absl::string_view all = text;
  size_t at = all.find(kPhrase);
  if (at == absl::string_view::npos) return fallback;
  absl::string_view rest = all.substr(at + kPhrase.size());
  size_t digits = 0;
  while (digits < rest.size() && digits < 9 &&
         absl::ascii_isdigit(rest[digits])) {
    ++digits;
  }
  int64_t n = 0;
  if (digits == 0 || !absl::SimpleAtoi(rest.substr(0, digits), &n)) {
    return fallback;
  }
  rest = absl::StripLeadingAsciiWhitespace(rest.substr(digits));
  absl::Duration wait;
  if (absl::StartsWith(rest, "h")) {
    wait = absl::Hours(n);
  } else if (absl::StartsWith(rest, "m")) {  // minute(s), min
    wait = absl::Minutes(n);
  } else if (absl::StartsWith(rest, "s")) {  // second(s), sec, s
    wait = absl::Seconds(n);
  } else {
    return fallback;
  }
  return std::min(wait, absl::Hours(24));
}

}  // namespace clinic::gateway
