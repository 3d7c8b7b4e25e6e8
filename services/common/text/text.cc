#include "services/common/text/text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/status/errors.h"

namespace clinic::text {

size_t CodePoints(absl::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

int64_t Utf8CodePoints(absl::string_view s) {
  int64_t count = 0;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return -1;
    }
    if (i + len > s.size()) return -1;
    for (size_t k = 1; k < len; ++k) {
      const unsigned char cc = s[i + k];
      if ((cc & 0xc0) != 0x80) return -1;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return -1;
    }
    i += len;
    ++count;
  }
  return count;
}

std::string CollapseSpaces(absl::string_view s) {
  std::string out;
  bool space = false;
  for (char c : absl::StripAsciiWhitespace(s)) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool IsUuid(absl::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-'
             : !absl::ascii_isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

bool IsResourceName(absl::string_view name, absl::string_view collection) {
  return absl::ConsumePrefix(&name, collection) &&
         absl::ConsumePrefix(&name, "/") && IsUuid(name);
}

std::string IdOf(absl::string_view name) {
  const size_t slash = name.find('/');
  return std::string(slash == absl::string_view::npos ? name
                                                      : name.substr(slash + 1));
}

absl::Status ValidateRequestId(absl::string_view request_id) {
  if (request_id.size() > kMaxRequestIdLength) {
    return status::InvalidField(
        "request_id",
        absl::StrCat("longer than ", kMaxRequestIdLength, " characters"));
  }
  for (unsigned char c : request_id) {
    if (c <= 0x20 || c >= 0x7f) {
      return status::InvalidField("request_id",
                                  "must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

}  // namespace clinic::text
