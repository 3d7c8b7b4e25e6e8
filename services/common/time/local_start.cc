#include "services/common/time/local_start.h"

#include "absl/strings/numbers.h"

namespace clinic::time {

std::optional<absl::CivilMinute> ParseLocalStart(absl::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (s.size() < 16 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
      s[13] != ':' || !absl::SimpleAtoi(s.substr(0, 4), &y) ||
      !absl::SimpleAtoi(s.substr(5, 2), &mo) ||
      !absl::SimpleAtoi(s.substr(8, 2), &d) ||
      !absl::SimpleAtoi(s.substr(11, 2), &h) ||
      !absl::SimpleAtoi(s.substr(14, 2), &mi)) {
    return std::nullopt;
  }
  const absl::CivilMinute m(y, mo, d, h, mi);
  if (m.month() != mo || m.day() != d || m.hour() != h || m.minute() != mi) {
    return std::nullopt;  // normalized: not a real wall time
  }
  return m;
}

}  // namespace clinic::time
