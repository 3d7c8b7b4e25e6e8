#include "services/common/db/errors.h"

#include <pqxx/except>

#include "gtest/gtest.h"

namespace clinic::db {
namespace {

TEST(ErrorsTest, SqlStatesMapToCodes) {
  EXPECT_EQ(CodeForSqlState("23505"), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CodeForSqlState("23P01"), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CodeForSqlState("23514"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeForSqlState("23502"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeForSqlState("22007"), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeForSqlState("23503"), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CodeForSqlState("40001"), absl::StatusCode::kAborted);
  EXPECT_EQ(CodeForSqlState("40P01"), absl::StatusCode::kAborted);
  EXPECT_EQ(CodeForSqlState("57014"), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(CodeForSqlState("08006"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("57P01"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForSqlState("42P01"), absl::StatusCode::kInternal);
}

TEST(ErrorsTest, OnlySerializationAndDeadlockRetry) {
  EXPECT_TRUE(IsRetryable("40001"));
  EXPECT_TRUE(IsRetryable("40P01"));
  EXPECT_FALSE(IsRetryable("23505"));
  EXPECT_FALSE(IsRetryable("08006"));
}

TEST(ErrorsTest, PlainExceptionIsInternalWithoutDetail) {
  absl::Status s = StatusFromException(std::runtime_error("SELECT secret"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(s.message().find("SELECT"), absl::string_view::npos);
}

}  // namespace
}  // namespace clinic::db

namespace clinic::db {
namespace {

TEST(ErrorsTest, ValuesInDetailLinesStayOutOfStatusesAndLogs) {
  ::testing::internal::CaptureStderr();
  absl::Status s = StatusFromException(std::runtime_error(
      "ERROR:  boom\nDETAIL:  Key (email)=(jane@example.com) already exists."));
  const std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(logged.find("boom"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("jane"), std::string::npos) << logged;
  EXPECT_EQ(s.message().find("jane"), absl::string_view::npos);
}

}  // namespace
}  // namespace clinic::db

namespace clinic::db {
namespace {

TEST(ErrorsTest, ConstraintViolationsNameTheirConstraintAsAReason) {
  absl::Status s = StatusFromException(pqxx::sql_error(
      "ERROR:  conflicting key value violates exclusion constraint "
      "\"appointments_no_overlap\"\nDETAIL:  Key (therapist)=(x)",
      "INSERT ...", "23P01"));
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ViolatedConstraint(s), "appointments_no_overlap");
  EXPECT_EQ(ViolatedConstraint(absl::AlreadyExistsError(
                "appointments_no_overlap in the message only")),
            "");
}

}  // namespace
}  // namespace clinic::db
