#ifndef CLINIC_SERVICES_GATEWAY_JSON_DEPTH_H_
#define CLINIC_SERVICES_GATEWAY_JSON_DEPTH_H_

#include "absl/strings/string_view.h"

namespace clinic::gateway {

// The deepest nesting a request's JSON may have.
inline constexpr int kMaxJsonDepth = 64;

// A cheap single pass over `json` that counts how deeply objects and arrays
// nest, skipping string contents (with their escapes). Returns false as soon as
// the depth exceeds `max_depth`. It does not validate the JSON: the parser does
// that afterwards; this only keeps a hostile `[[[[...` away from the
// (recursive) protobuf JSON parser.
bool JsonDepthWithin(absl::string_view json, int max_depth = kMaxJsonDepth);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_JSON_DEPTH_H_
