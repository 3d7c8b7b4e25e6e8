#include "services/gateway/backend_flags.h"

#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace clinic::gateway {

absl::StatusOr<std::map<std::string, std::string>> ParseBackendSpecs(
    const std::vector<std::string>& values) {
  std::map<std::string, std::string> out;
  for (const std::string& value : values) {
    std::string last;  // the service of the previous entry
    for (absl::string_view part : absl::StrSplit(value, ',')) {
      part = absl::StripAsciiWhitespace(part);
      if (part.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--backend: empty entry in \"", value, "\""));
      }
      // More addresses of the previous target ("svc=ipv4:a:1,b:2": its
      // replicas, balanced round-robin).
      if (part.find('=') == absl::string_view::npos && !last.empty() &&
          absl::StartsWith(out[last], "ipv4:")) {
        absl::StrAppend(&out[last], ",", part);
        continue;
      }
      size_t eq = part.find('=');
      if (eq == absl::string_view::npos || eq == 0 || eq + 1 == part.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--backend: \"", part,
                         "\" is not <full.service.Name>=<host:port>"));
      }
      std::string service(part.substr(0, eq));
      std::string target(part.substr(eq + 1));
      if (!out.emplace(service, target).second) {
        return absl::InvalidArgumentError(
            absl::StrCat("--backend: service ", service, " given twice"));
      }
      last = service;
    }
  }
  return out;
}

std::vector<std::string> CollectRepeatedFlag(int argc, const char* const* argv,
                                             const std::string& name) {
  std::vector<std::string> values;
  const std::string dd = "--" + name;
  const std::string d = "-" + name;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    for (const std::string& prefix : {dd, d}) {
      if (arg == prefix) {
        if (i + 1 < argc) values.emplace_back(argv[++i]);
        break;
      }
      if (absl::StartsWith(arg, prefix + "=")) {
        values.emplace_back(arg.substr(prefix.size() + 1));
        break;
      }
    }
  }
  return values;
}

}  // namespace clinic::gateway
