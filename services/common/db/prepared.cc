#include "services/common/db/prepared.h"

#include <cstdint>
#include <cstdio>

namespace clinic::db {

std::string StatementName(absl::string_view sql) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : sql) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char name[20];
  std::snprintf(name, sizeof name, "q%016llx",
                static_cast<unsigned long long>(h));
  return name;
}

}  // namespace clinic::db
