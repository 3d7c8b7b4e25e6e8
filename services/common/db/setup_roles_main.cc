// Sets up the database roles of the services (roles.h), as a superuser:
//   setup_roles --database_url="host=... user=postgres dbname=clinic" \
//     appointments patients ...
// (./clinic runs it for the private cluster, with the roster's schemas.)
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/common/db/roles.h"

ABSL_FLAG(std::string, database_url, "",
          "A superuser's libpq connection string (or $DATABASE_URL).");

int main(int argc, char** argv) {
  std::vector<char*> schemas = absl::ParseCommandLine(argc, argv);
  std::string url = absl::GetFlag(FLAGS_database_url);
  if (url.empty() && std::getenv("DATABASE_URL") != nullptr) {
    url = std::getenv("DATABASE_URL");
  }
  if (url.empty() || schemas.size() < 2) {
    std::fprintf(stderr, "usage: setup_roles --database_url=... SCHEMA...\n");
    return 2;
  }
  for (size_t i = 1; i < schemas.size(); ++i) {
    const absl::Status s = clinic::db::SetUpServiceRoles(url, schemas[i]);
    if (!s.ok()) {
      std::fprintf(stderr, "setup_roles %s: %s\n", schemas[i],
                   s.ToString().c_str());
      return 1;
    }
  }
  return 0;
}
