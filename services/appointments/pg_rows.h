// What the PostgreSQL stores (pg_catalog_store, pg_booking_store) share:
// instants as bigint microseconds, messages and lists as JSON, and the log
// of retryable requests. Internal to those stores.
//
// Instants are bigint microseconds: appointments.from_micros() on the way
// in, and on the way out the expression itself, (extract(epoch FROM x) *
// 1000000)::bigint, not the appointments.micros() function: PostgreSQL does
// not inline that IMMUTABLE SQL function (extract on timestamptz is only
// STABLE), and calling it per row made the busy-interval query of
// FindAvailableSlots 7x slower (5.9 ms vs 0.8 ms for 780 rows; see
// tests/bench).
#ifndef CLINIC_SERVICES_APPOINTMENTS_PG_ROWS_H_
#define CLINIC_SERVICES_APPOINTMENTS_PG_ROWS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "services/common/db/idempotency.h"

namespace clinic::appointments::pg {

inline int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }
inline absl::Time FromMicros(int64_t m) { return absl::FromUnixMicros(m); }

// The message as JSON with the proto field names (a stored body).
std::string ToJson(const google::protobuf::Message& m);
// Reads `json` into `m`, ignoring unknown fields (and malformed input).
void FromJson(const std::string& json, google::protobuf::Message* m);
// ["a", "b"]: a JSON array of strings, how lists travel as parameters.
std::string JsonArray(const std::vector<std::string>& values);

// Idempotency: results are the resource's name ("appointments/{id}").
const db::RequestLog& Requests();

}  // namespace clinic::appointments::pg

#endif  // CLINIC_SERVICES_APPOINTMENTS_PG_ROWS_H_
