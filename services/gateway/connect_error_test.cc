#include "services/gateway/connect_error.h"

#include <set>
#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status_code_enum.h"
#include "gtest/gtest.h"
#include "services/common/status/errors.h"

namespace clinic::gateway {
namespace {

struct Row {
  grpc::StatusCode grpc_code;
  const char* name;
  int http;
};

// The table from https://connectrpc.com/docs/protocol#error-codes.
constexpr Row kTable[] = {
    {grpc::StatusCode::CANCELLED, "canceled", 499},
    {grpc::StatusCode::UNKNOWN, "unknown", 500},
    {grpc::StatusCode::INVALID_ARGUMENT, "invalid_argument", 400},
    {grpc::StatusCode::DEADLINE_EXCEEDED, "deadline_exceeded", 504},
    {grpc::StatusCode::NOT_FOUND, "not_found", 404},
    {grpc::StatusCode::ALREADY_EXISTS, "already_exists", 409},
    {grpc::StatusCode::PERMISSION_DENIED, "permission_denied", 403},
    {grpc::StatusCode::RESOURCE_EXHAUSTED, "resource_exhausted", 429},
    {grpc::StatusCode::FAILED_PRECONDITION, "failed_precondition", 400},
    {grpc::StatusCode::ABORTED, "aborted", 409},
    {grpc::StatusCode::OUT_OF_RANGE, "out_of_range", 400},
    {grpc::StatusCode::UNIMPLEMENTED, "unimplemented", 501},
    {grpc::StatusCode::INTERNAL, "internal", 500},
    {grpc::StatusCode::UNAVAILABLE, "unavailable", 503},
    {grpc::StatusCode::DATA_LOSS, "data_loss", 500},
    {grpc::StatusCode::UNAUTHENTICATED, "unauthenticated", 401},
};

TEST(ConnectErrorTest, EveryGrpcErrorCodeMapsAsTheSpecSays) {
  std::set<int> seen;
  for (const Row& row : kTable) {
    SCOPED_TRACE(row.name);
    const auto code = static_cast<absl::StatusCode>(row.grpc_code);
    EXPECT_EQ(ConnectCodeName(code), row.name);
    EXPECT_EQ(HttpStatusForCode(code), row.http);
    seen.insert(static_cast<int>(row.grpc_code));
  }
  // Every gRPC code from CANCELLED (1) to UNAUTHENTICATED (16) is covered.
  for (int c = grpc::StatusCode::CANCELLED;
       c <= grpc::StatusCode::UNAUTHENTICATED; ++c) {
    EXPECT_TRUE(seen.count(c)) << "gRPC code " << c << " missing";
  }
}

TEST(ConnectErrorTest, OkAndOutOfRangeCodes) {
  EXPECT_EQ(HttpStatusForCode(absl::StatusCode::kOk), 200);
  EXPECT_EQ(ConnectCodeName(static_cast<absl::StatusCode>(99)), "unknown");
  EXPECT_EQ(HttpStatusForCode(static_cast<absl::StatusCode>(99)), 500);
}

TEST(ConnectErrorTest, ErrorBodyIsEscapedJson) {
  EXPECT_EQ(ConnectErrorJson(absl::NotFoundError("no \"x\"\n\\")),
            R"({"code":"not_found","message":"no \"x\"\n\\"})");
  EXPECT_EQ(ConnectErrorJson(absl::UnavailableError("")),
            R"({"code":"unavailable"})");
  EXPECT_EQ(JsonEscape(std::string("a\x01") + "b"), "a\\u0001b");
}

TEST(ConnectErrorTest, StatusDetailsBecomeConnectErrorDetails) {
  absl::Status s = status::WithReason(
      status::InvalidFields({{"patient.email", "not an email"}}),
      {"BAD", "patients.clinic", {}});
  const std::string json = ConnectErrorJson(s);
  EXPECT_EQ(json.find("{\"code\":\"invalid_argument\",\"message\":"
                      "\"patient.email: not an email\",\"details\":["),
            0u)
      << json;
  EXPECT_NE(json.find("{\"type\":\"google.rpc.BadRequest\",\"value\":\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("{\"type\":\"google.rpc.ErrorInfo\",\"value\":\""),
            std::string::npos)
      << json;
  EXPECT_EQ(json.find('='), std::string::npos) << "no base64 padding";
  EXPECT_EQ(ConnectErrorJson(absl::NotFoundError("gone")),
            "{\"code\":\"not_found\",\"message\":\"gone\"}");
}

}  // namespace
}  // namespace clinic::gateway
