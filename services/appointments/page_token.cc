#include "services/appointments/page_token.h"

#include "services/common/db/page_token.h"

namespace clinic::appointments {
namespace {

constexpr char kVersion[] = "a1";

}  // namespace

std::string FilterFingerprint(const std::vector<std::string>& parts) {
  return db::FilterFingerprint(parts);
}

std::string EncodePageToken(const std::vector<std::string>& key,
                            absl::string_view fingerprint) {
  return db::EncodePageToken(kVersion, fingerprint, key);
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(
    absl::string_view token, absl::string_view fingerprint, size_t key_size) {
  return db::DecodePageToken(token, kVersion, fingerprint, key_size);
}

}  // namespace clinic::appointments
