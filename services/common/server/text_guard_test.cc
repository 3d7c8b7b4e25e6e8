#include "services/common/server/text_guard.h"

#include <string>

#include "clinic/patients/v1/patients_service.pb.h"
#include "gtest/gtest.h"
#include "services/common/status/errors.h"

namespace clinic::server {
namespace {

using patients::v1::CreatePatientRequest;
using patients::v1::ListPatientsRequest;

TEST(TextGuardTest, RefusesEveryFieldWithAControlCharacter) {
  CreatePatientRequest req;
  req.set_request_id("ok-1");
  req.mutable_patient()->set_given_name(std::string("Ma\0ya", 5));
  req.mutable_patient()->set_family_name("Oka\x1b[31mfor");
  req.mutable_patient()->set_notes("Line one\nline two\ttabbed\r\n");
  const absl::Status s = CheckRequestText(req);
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  const std::vector<status::FieldViolation> v = status::FieldViolationsOf(s);
  ASSERT_EQ(v.size(), 2u) << s;
  EXPECT_EQ(v[0].field, "patient.given_name");
  EXPECT_EQ(v[1].field, "patient.family_name");
  EXPECT_EQ(v[0].description, "must not contain control characters");
}

TEST(TextGuardTest, AcceptsOrdinaryTextAndCutsNothing) {
  ListPatientsRequest req;
  req.set_name_prefix("Fernández ");
  EXPECT_TRUE(CheckRequestText(req).ok());
  req.set_name_prefix(std::string("a\0b", 3));
  const absl::Status s = CheckRequestText(req);
  ASSERT_EQ(status::FieldViolationsOf(s).size(), 1u);
  EXPECT_EQ(status::FieldViolationsOf(s)[0].field, "name_prefix");
  req.set_name_prefix("del\x7f");
  EXPECT_FALSE(CheckRequestText(req).ok());
}

}  // namespace
}  // namespace clinic::server
