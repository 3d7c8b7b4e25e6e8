#include "services/common/status/errors.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"

namespace clinic::status {
namespace {

std::string MessageOf(const FieldViolation& v) {
  if (v.field.empty()) return v.description;
  return absl::StrCat(v.field, ": ", v.description);
}

}  // namespace

absl::Status InvalidField(absl::string_view field,
                          absl::string_view description) {
  return InvalidFields(
      {FieldViolation{std::string(field), std::string(description)}});
}

absl::Status WithFieldViolations(
    absl::Status status, const std::vector<FieldViolation>& violations) {
  if (status.ok() || violations.empty()) return status;
  google::rpc::BadRequest detail;
  for (const FieldViolation& v : violations) {
    google::rpc::BadRequest::FieldViolation* out =
        detail.add_field_violations();
    out->set_field(v.field);
    out->set_description(v.description);
  }
  status.SetPayload(kBadRequestType, absl::Cord(detail.SerializeAsString()));
  return status;
}

absl::Status InvalidFields(const std::vector<FieldViolation>& violations) {
  if (violations.empty()) return absl::OkStatus();
  std::vector<std::string> parts;
  for (const FieldViolation& v : violations) parts.push_back(MessageOf(v));
  return WithFieldViolations(
      absl::InvalidArgumentError(absl::StrJoin(parts, "; ")), violations);
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kBadRequestType);
  if (!payload.has_value()) return out;
  google::rpc::BadRequest detail;
  if (!detail.ParseFromString(std::string(*payload))) return out;
  for (const auto& v : detail.field_violations()) {
    out.push_back({v.field(), v.description()});
  }
  return out;
}

absl::Status RenameFields(
    const absl::Status& status,
    absl::FunctionRef<std::string(absl::string_view field)> rename) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (violations.empty()) return status;
  for (FieldViolation& v : violations) v.field = rename(v.field);
  absl::Status out =
      status.code() == absl::StatusCode::kInvalidArgument
          ? InvalidFields(violations)
          : WithFieldViolations(absl::Status(status.code(), status.message()),
                                violations);
  status.ForEachPayload([&](absl::string_view type, const absl::Cord& value) {
    if (type != kBadRequestType) out.SetPayload(type, value);
  });
  return out;
}

void Violations::Add(absl::string_view field, absl::string_view description) {
  violations_.push_back({std::string(field), std::string(description)});
}

bool Violations::Check(const absl::Status& status) {
  if (status.ok()) return true;
  if (status.code() != absl::StatusCode::kInvalidArgument) {
    if (other_.ok()) other_ = status;
    return false;
  }
  std::vector<FieldViolation> found = FieldViolationsOf(status);
  if (found.empty()) {
    violations_.push_back({"", std::string(status.message())});
  }
  for (FieldViolation& v : found) violations_.push_back(std::move(v));
  return false;
}

absl::Status Violations::ToStatus() const {
  if (!other_.ok()) return other_;
  return InvalidFields(violations_);
}

absl::Status WithReason(absl::Status status, const Reason& reason) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(reason.reason);
  info.set_domain(reason.domain);
  for (const auto& [k, v] : reason.metadata) (*info.mutable_metadata())[k] = v;
  status.SetPayload(kErrorInfoType, absl::Cord(info.SerializeAsString()));
  return status;
}

std::optional<Reason> ReasonOf(const absl::Status& status) {
  auto payload = status.GetPayload(kErrorInfoType);
  if (!payload.has_value()) return std::nullopt;
  google::rpc::ErrorInfo info;
  if (!info.ParseFromString(std::string(*payload))) return std::nullopt;
  Reason r{info.reason(), info.domain(), {}};
  for (const auto& [k, v] : info.metadata()) r.metadata[k] = v;
  return r;
}

}  // namespace clinic::status
