// Values as libpqxx 6 parameters where it has no conversion of its own.
#ifndef CLINIC_SERVICES_COMMON_DB_PARAMS_H_
#define CLINIC_SERVICES_COMMON_DB_PARAMS_H_

#include <string>
#include <vector>

namespace clinic::db {

// A PostgreSQL text[] literal, {"a","b"}, with quotes and backslashes
// escaped: pass it as $n and write $n::text[] in the SQL.
std::string TextArray(const std::vector<std::string>& items);

}  // namespace clinic::db

#endif  // CLINIC_SERVICES_COMMON_DB_PARAMS_H_
