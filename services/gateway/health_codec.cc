#include "services/gateway/health_codec.h"

#include <cstdint>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

namespace clinic::gateway {

using ::google::protobuf::internal::WireFormatLite;

std::string EncodeHealthCheckRequest(absl::string_view service) {
  std::string out;
  if (service.empty()) return out;  // proto3: the default is not written.
  out += static_cast<char>(0x0a);   // field 1, length-delimited
  uint64_t n = service.size();
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7f) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
  out.append(service.data(), service.size());
  return out;
}

absl::StatusOr<int> DecodeHealthCheckStatus(absl::string_view bytes) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(bytes.data()),
      static_cast<int>(bytes.size()));
  int status = 0;
  while (true) {
    uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    if (tag == WireFormatLite::MakeTag(1, WireFormatLite::WIRETYPE_VARINT)) {
      uint64_t value;
      if (!in.ReadVarint64(&value)) {
        return absl::InvalidArgumentError("malformed HealthCheckResponse");
      }
      status = static_cast<int>(value);
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return absl::InvalidArgumentError("malformed HealthCheckResponse");
    }
  }
  if (!in.ConsumedEntireMessage() || in.CurrentPosition() != bytes.size()) {
    return absl::InvalidArgumentError("malformed HealthCheckResponse");
  }
  return status;
}

}  // namespace clinic::gateway
