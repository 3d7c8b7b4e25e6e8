#include "services/common/status/status.h"

#include <optional>
#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "google/rpc/status.pb.h"

namespace clinic::status {
namespace {

constexpr char kTypePrefix[] = "type.googleapis.com/";

}  // namespace

// absl::StatusCode and grpc::StatusCode share numbering (both follow
// google.rpc.Code); status_test checks every value.
grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status details;
  status.ForEachPayload(
      [&](absl::string_view type_url, const absl::Cord& payload) {
        if (!absl::StartsWith(type_url, kTypePrefix)) return;
        google::protobuf::Any* any = details.add_details();
        any->set_type_url(std::string(type_url));
        any->set_value(std::string(payload));
      });
  const auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  if (details.details_size() == 0) return grpc::Status(code, message);
  details.set_code(static_cast<int>(status.code()));
  details.set_message(message);
  return grpc::Status(code, message, details.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()),
                   status.error_message());
  if (!status.error_details().empty()) {
    google::rpc::Status details;
    if (details.ParseFromString(status.error_details())) {
      for (const google::protobuf::Any& any : details.details()) {
        out.SetPayload(any.type_url(), absl::Cord(any.value()));
      }
    }
  }
  return out;
}

}  // namespace clinic::status
