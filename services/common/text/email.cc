#include "services/common/text/email.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace clinic::text {

namespace {

bool ValidDomain(absl::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2) return false;
  for (absl::string_view label : labels) {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
          static_cast<unsigned char>(c) < 0x80) {
        return false;
      }
    }
  }
  absl::string_view tld = labels.back();
  if (tld.size() < 2) return false;
  for (char c : tld) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> NormalizeEmail(absl::string_view email) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(email);
  if (trimmed.size() > 254) {
    return absl::InvalidArgumentError("longer than 254 characters");
  }
  size_t at = trimmed.rfind('@');
  if (at == absl::string_view::npos || trimmed.find('@') != at) {
    return absl::InvalidArgumentError(
        "not a valid email address (needs exactly one @)");
  }
  absl::string_view local = trimmed.substr(0, at);
  absl::string_view domain = trimmed.substr(at + 1);
  if (local.empty() || local.size() > 64) {
    return absl::InvalidArgumentError(
        "not a valid email address (the part before @ must be 1 to 64 "
        "characters)");
  }
  for (char c : local) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '(' || c == ')' ||
        c == ',' || c == ':' || c == ';' || c == '<' || c == '>' || c == '[' ||
        c == ']' || c == '\\') {
      return absl::InvalidArgumentError(
          "not a valid email address (unexpected character before @)");
    }
  }
  if (local.front() == '.' || local.back() == '.' ||
      absl::StrContains(local, "..")) {
    return absl::InvalidArgumentError(
        "not a valid email address (misplaced dot before @)");
  }
  if (!ValidDomain(domain)) {
    return absl::InvalidArgumentError(
        "not a valid email address (the domain after @ is not valid)");
  }
  return absl::StrCat(local, "@", absl::AsciiStrToLower(domain));
}

}  // namespace clinic::text
