#include "services/common/text/phone.h"

#include <phonenumbers/phonenumberutil.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace clinic::text {

using ::i18n::phonenumbers::PhoneNumber;
using ::i18n::phonenumbers::PhoneNumberUtil;

absl::StatusOr<std::string> NormalizePhone(absl::string_view phone,
                                           absl::string_view default_region) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(phone);
  if (trimmed.size() > 32) {
    return absl::InvalidArgumentError("longer than 32 characters");
  }
  bool digit = false;
  for (char c : trimmed) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digit = true;
    } else if (!absl::StrContains(" +-.()/x#", c)) {
      return absl::InvalidArgumentError(
          "may contain only digits, spaces and + - . ( ) / x #");
    }
  }
  if (!digit) return absl::InvalidArgumentError("has no digits");
  const PhoneNumberUtil* util = PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util->Parse(std::string(trimmed), std::string(default_region), &number) !=
          PhoneNumberUtil::NO_PARSING_ERROR ||
      !util->IsValidNumber(number)) {
    return absl::InvalidArgumentError(
        trimmed.empty() || trimmed[0] != '+'
            ? "is not a phone number here; check the digits, or start a "
              "number from abroad with + and its country code"
            : "is not a valid phone number; check the digits");
  }
  std::string e164;
  util->Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

}  // namespace clinic::text
