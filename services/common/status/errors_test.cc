#include "services/common/status/errors.h"

#include "gtest/gtest.h"

namespace clinic::status {
namespace {

TEST(ErrorsTest, InvalidFieldCarriesTheFieldAndAReadableMessage) {
  absl::Status s = InvalidField("patient.email", "not a valid email address");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "patient.email: not a valid email address");
  std::vector<FieldViolation> v = FieldViolationsOf(s);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "patient.email");
  EXPECT_EQ(v[0].description, "not a valid email address");
}

TEST(ErrorsTest, ViolationsCollectsEveryField) {
  Violations v;
  EXPECT_TRUE(v.empty());
  EXPECT_TRUE(v.Check(absl::OkStatus()));
  EXPECT_FALSE(v.Check(InvalidField("a", "is required")));
  v.Add("b", "too long");
  EXPECT_FALSE(v.Check(absl::InvalidArgumentError("no field here")));
  absl::Status s = v.ToStatus();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "a: is required; b: too long; no field here");
  std::vector<FieldViolation> got = FieldViolationsOf(s);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].field, "a");
  EXPECT_EQ(got[1].field, "b");
  EXPECT_EQ(got[2].field, "");
  EXPECT_EQ(got[2].description, "no field here");
}

TEST(ErrorsTest, ViolationsKeepsAnotherKindOfFailureFirst) {
  Violations v;
  v.Add("a", "is required");
  EXPECT_FALSE(v.Check(absl::UnavailableError("database unavailable")));
  EXPECT_EQ(v.ToStatus().code(), absl::StatusCode::kUnavailable);
}

TEST(ErrorsTest, NoViolationsIsOk) {
  EXPECT_TRUE(Violations().ToStatus().ok());
  EXPECT_TRUE(InvalidFields({}).ok());
  EXPECT_TRUE(FieldViolationsOf(absl::NotFoundError("x")).empty());
}

TEST(ErrorsTest, AConflictCanNameItsField) {
  absl::Status s = WithFieldViolations(
      absl::AlreadyExistsError("staff_member.email: already used"),
      {{"staff_member.email", "already used"}});
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  ASSERT_EQ(FieldViolationsOf(s).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(s)[0].field, "staff_member.email");
}

TEST(ErrorsTest, ReasonRoundTrips) {
  absl::Status s = WithReason(
      absl::AlreadyExistsError("taken"),
      {"SLOT_TAKEN", "appointments.clinic", {{"therapist", "staff/1"}}});
  std::optional<Reason> r = ReasonOf(s);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->reason, "SLOT_TAKEN");
  EXPECT_EQ(r->domain, "appointments.clinic");
  EXPECT_EQ(r->metadata.at("therapist"), "staff/1");
  EXPECT_FALSE(ReasonOf(absl::AlreadyExistsError("x")).has_value());
  EXPECT_TRUE(WithReason(absl::OkStatus(), {"X", "y", {}}).ok());
}

}  // namespace
}  // namespace clinic::status
