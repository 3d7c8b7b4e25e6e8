#include "services/common/status/status.h"

#include "gtest/gtest.h"
#include "services/common/status/errors.h"

namespace clinic::status {
namespace {

struct Pair {
  absl::StatusCode absl_code;
  grpc::StatusCode grpc_code;
};

// Every code of both enums, by name, so a renumbering would fail here.
constexpr Pair kPairs[] = {
    {absl::StatusCode::kCancelled, grpc::StatusCode::CANCELLED},
    {absl::StatusCode::kUnknown, grpc::StatusCode::UNKNOWN},
    {absl::StatusCode::kInvalidArgument, grpc::StatusCode::INVALID_ARGUMENT},
    {absl::StatusCode::kDeadlineExceeded, grpc::StatusCode::DEADLINE_EXCEEDED},
    {absl::StatusCode::kNotFound, grpc::StatusCode::NOT_FOUND},
    {absl::StatusCode::kAlreadyExists, grpc::StatusCode::ALREADY_EXISTS},
    {absl::StatusCode::kPermissionDenied, grpc::StatusCode::PERMISSION_DENIED},
    {absl::StatusCode::kResourceExhausted,
     grpc::StatusCode::RESOURCE_EXHAUSTED},
    {absl::StatusCode::kFailedPrecondition,
     grpc::StatusCode::FAILED_PRECONDITION},
    {absl::StatusCode::kAborted, grpc::StatusCode::ABORTED},
    {absl::StatusCode::kOutOfRange, grpc::StatusCode::OUT_OF_RANGE},
    {absl::StatusCode::kUnimplemented, grpc::StatusCode::UNIMPLEMENTED},
    {absl::StatusCode::kInternal, grpc::StatusCode::INTERNAL},
    {absl::StatusCode::kUnavailable, grpc::StatusCode::UNAVAILABLE},
    {absl::StatusCode::kDataLoss, grpc::StatusCode::DATA_LOSS},
    {absl::StatusCode::kUnauthenticated, grpc::StatusCode::UNAUTHENTICATED},
};

TEST(StatusTest, CodeListsMatchBothWays) {
  for (const Pair& p : kPairs) {
    absl::Status s(p.absl_code, "why");
    grpc::Status g = ToGrpcStatus(s);
    EXPECT_EQ(g.error_code(), p.grpc_code) << s;
    EXPECT_EQ(g.error_message(), "why");
    absl::Status back = FromGrpcStatus(g);
    EXPECT_EQ(back.code(), p.absl_code);
    EXPECT_EQ(back.message(), "why");
  }
  // 16 non-OK codes in google.rpc.Code.
  EXPECT_EQ(std::size(kPairs), 16u);
}

TEST(StatusTest, OkStaysOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(StatusTest, DetailsTravelBothWays) {
  absl::Status s = WithReason(InvalidFields({{"patient.email", "not an email"},
                                             {"patient.phone", "no digits"}}),
                              {"BAD_CONTACT", "patients.clinic", {}});
  grpc::Status g = ToGrpcStatus(s);
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(g.error_details().empty());
  absl::Status back = FromGrpcStatus(g);
  EXPECT_EQ(back.message(), s.message());
  std::vector<FieldViolation> v = FieldViolationsOf(back);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1].field, "patient.phone");
  EXPECT_EQ(v[1].description, "no digits");
  ASSERT_TRUE(ReasonOf(back).has_value());
  EXPECT_EQ(ReasonOf(back)->reason, "BAD_CONTACT");
}

TEST(StatusTest, NoDetailsNoTrailer) {
  EXPECT_TRUE(
      ToGrpcStatus(absl::NotFoundError("gone")).error_details().empty());
}

}  // namespace
}  // namespace clinic::status
