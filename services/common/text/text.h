// Text rules every service shares: UTF-8 lengths, names, resource ids and
// request ids. Pure functions, no I/O.
#ifndef CLINIC_SERVICES_COMMON_TEXT_TEXT_H_
#define CLINIC_SERVICES_COMMON_TEXT_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace clinic::text {

// Number of Unicode code points of valid UTF-8 text (counts lead bytes).
size_t CodePoints(absl::string_view utf8);

// Number of code points of `utf8`, or -1 if it is not valid UTF-8 (overlong
// forms, surrogates, cut-short sequences, values past U+10FFFF).
int64_t Utf8CodePoints(absl::string_view utf8);

// Trims ASCII white space and folds runs of white space inside to one space.
std::string CollapseSpaces(absl::string_view s);

// True for a UUID in its 36-character text form (any case).
bool IsUuid(absl::string_view s);

// Whether `name` is "<collection>/{uuid}" ("patients/7f3e...").
bool IsResourceName(absl::string_view name, absl::string_view collection);

// The id of a resource name: what follows the first "/" ("patients/7" -> "7").
std::string IdOf(absl::string_view name);

// Longest request_id (AIP-155) a service accepts.
inline constexpr size_t kMaxRequestIdLength = 64;

// Checks a request_id: empty, or 1-64 printable ASCII characters without
// spaces. INVALID_ARGUMENT on field "request_id" otherwise.
absl::Status ValidateRequestId(absl::string_view request_id);

}  // namespace clinic::text

#endif  // CLINIC_SERVICES_COMMON_TEXT_TEXT_H_
