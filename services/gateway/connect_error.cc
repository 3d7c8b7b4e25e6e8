#include "services/gateway/connect_error.h"

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace clinic::gateway {
namespace {

constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com/";

}  // namespace

absl::string_view ConnectCodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return "ok";
    case absl::StatusCode::kCancelled:
      return "canceled";
    case absl::StatusCode::kUnknown:
      return "unknown";
    case absl::StatusCode::kInvalidArgument:
      return "invalid_argument";
    case absl::StatusCode::kDeadlineExceeded:
      return "deadline_exceeded";
    case absl::StatusCode::kNotFound:
      return "not_found";
    case absl::StatusCode::kAlreadyExists:
      return "already_exists";
    case absl::StatusCode::kPermissionDenied:
      return "permission_denied";
    case absl::StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case absl::StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case absl::StatusCode::kAborted:
      return "aborted";
    case absl::StatusCode::kOutOfRange:
      return "out_of_range";
    case absl::StatusCode::kUnimplemented:
      return "unimplemented";
    case absl::StatusCode::kInternal:
      return "internal";
    case absl::StatusCode::kUnavailable:
      return "unavailable";
    case absl::StatusCode::kDataLoss:
      return "data_loss";
    case absl::StatusCode::kUnauthenticated:
      return "unauthenticated";
    default:
      return "unknown";
  }
}

int HttpStatusForCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
    default:
      return 500;
  }
}

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x",
                        static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string ConnectErrorJson(const absl::Status& status) {
  std::string out =
      absl::StrCat("{\"code\":\"", ConnectCodeName(status.code()), "\"");
  if (!status.message().empty()) {
    absl::StrAppend(&out, ",\"message\":\"", JsonEscape(status.message()),
                    "\"");
  }
  // Error details: each standard payload (google.rpc.BadRequest, ErrorInfo)
  // as {"type": "<full message name>", "value": "<base64 of its bytes>"}.
  std::vector<std::string> details;
  status.ForEachPayload(
      [&](absl::string_view type_url, const absl::Cord& payload) {
        if (!absl::ConsumePrefix(&type_url, kTypeUrlPrefix)) return;
        std::string value = absl::Base64Escape(std::string(payload));
        while (!value.empty() && value.back() == '=') value.pop_back();
        details.push_back(absl::StrCat("{\"type\":\"", JsonEscape(type_url),
                                       "\",\"value\":\"", value, "\"}"));
      });
  if (!details.empty()) {
    absl::StrAppend(&out, ",\"details\":[", absl::StrJoin(details, ","), "]");
  }
  out += '}';
  return out;
}

}  // namespace clinic::gateway
