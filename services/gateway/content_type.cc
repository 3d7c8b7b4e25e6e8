#include "services/gateway/content_type.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace clinic::gateway {

std::optional<Codec> ParseConnectContentType(absl::string_view header) {
  // (StrSplit of a null string_view yields no parts at all.)
  std::vector<absl::string_view> parts = absl::StrSplit(header, ';');
  if (parts.empty()) return std::nullopt;
  absl::string_view media = absl::StripAsciiWhitespace(parts[0]);
  std::optional<Codec> codec;
  if (absl::EqualsIgnoreCase(media, "application/json")) {
    codec = Codec::kJson;
  } else if (absl::EqualsIgnoreCase(media, "application/proto")) {
    codec = Codec::kProto;
  } else {
    return std::nullopt;
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    absl::string_view param = absl::StripAsciiWhitespace(parts[i]);
    if (param.empty()) continue;
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(param, absl::MaxSplits('=', 1));
    absl::string_view key = absl::StripAsciiWhitespace(kv.first);
    absl::string_view value = absl::StripAsciiWhitespace(kv.second);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!absl::EqualsIgnoreCase(key, "charset") ||
        !absl::EqualsIgnoreCase(value, "utf-8") || *codec != Codec::kJson) {
      return std::nullopt;
    }
  }
  return codec;
}

absl::string_view ContentTypeFor(Codec codec) {
  return codec == Codec::kJson ? "application/json" : "application/proto";
}

}  // namespace clinic::gateway
