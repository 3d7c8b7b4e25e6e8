#include "tests/integration/roster.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace clinic::integration {
namespace {

std::vector<std::string> List(absl::string_view column) {
  if (column == "-") return {};
  return absl::StrSplit(column, ',', absl::SkipEmpty());
}

}  // namespace

absl::StatusOr<std::vector<RosterEntry>> ParseRoster(const std::string& text) {
  std::vector<RosterEntry> entries;
  std::set<std::string> names;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<absl::string_view> cols =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    RosterEntry e;
    if ((cols.size() != 5 && cols.size() != 6) ||
        !absl::SimpleAtoi(cols[2], &e.port)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "roster line ", number,
          ": want name target port services calls [schema], got: ", line));
    }
    if (cols.size() == 6 && cols[5] != "-") e.schema = std::string(cols[5]);
    e.name = std::string(cols[0]);
    e.target = std::string(cols[1]);
    e.services = List(cols[3]);
    e.calls = List(cols[4]);
    for (const std::string& callee : e.calls) {
      if (!names.count(callee)) {
        return absl::InvalidArgumentError(
            absl::StrCat("roster line ", number, ": ", e.name, " calls ",
                         callee, ", which is not listed before it"));
      }
    }
    names.insert(e.name);
    entries.push_back(std::move(e));
  }
  return entries;
}

absl::StatusOr<std::vector<RosterEntry>> ReadRoster() {
  // Tests run in their runfiles tree, the workspace's files at the root.
  std::ifstream in("deploy/services.roster");
  if (!in) return absl::NotFoundError("deploy/services.roster not found");
  std::stringstream text;
  text << in.rdbuf();
  return ParseRoster(text.str());
}

}  // namespace clinic::integration
