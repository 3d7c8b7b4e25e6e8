#include "services/common/status/errors.h"

#include "absl/strings/strip.h"
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

TEST(ErrorsTest, RenameFieldsKeepsTheCodeAndTheReason) {
  const auto rename = [](absl::string_view field) {
    absl::ConsumePrefix(&field, "appointment.");
    return std::string(field);
  };
  absl::Status bad = InvalidFields({{"appointment.start_time", "is required"},
                                    {"appointment.notes", "too long"}});
  absl::Status renamed = RenameFields(bad, rename);
  EXPECT_EQ(renamed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(renamed.message(), "start_time: is required; notes: too long");
  ASSERT_EQ(FieldViolationsOf(renamed).size(), 2u);
  EXPECT_EQ(FieldViolationsOf(renamed)[1].field, "notes");

  absl::Status taken = WithReason(
      WithFieldViolations(absl::AlreadyExistsError("that time was just taken"),
                          {{"appointment.start_time", "just taken"}}),
      {"SLOT_TAKEN", "appointments.clinic", {}});
  renamed = RenameFields(taken, rename);
  EXPECT_EQ(renamed.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(renamed.message(), "that time was just taken");
  EXPECT_EQ(FieldViolationsOf(renamed)[0].field, "start_time");
  ASSERT_TRUE(ReasonOf(renamed).has_value());
  EXPECT_EQ(ReasonOf(renamed)->reason, "SLOT_TAKEN");
  // Without violations a status passes unchanged.
  EXPECT_EQ(RenameFields(absl::UnavailableError("down"), rename),
            absl::UnavailableError("down"));
}

}  // namespace
}  // namespace clinic::status
