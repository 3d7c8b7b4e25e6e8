// Across processes' boundaries: HTTP (Connect) -> gateway -> gRPC -> the
// patients service -> PostgreSQL, all real, all in this test on port 0.
#include <string>

#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/system.h"

namespace clinic::integration {
namespace {

using gateway::testing::HttpRequest;
using gateway::testing::HttpResponse;

constexpr char kPrefix[] = "/clinic.patients.v1.PatientService/";

class GatewayPatientsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sys_ = new System();
    cookie_ = new std::string(sys_->AdminAndFrontDesk("it.example").second);
  }
  static HttpResponse Post(const std::string& method, const std::string& json) {
    return sys_->Post(std::string(kPrefix) + method, json, *cookie_);
  }
  static System* sys_;
  static std::string* cookie_;
};

System* GatewayPatientsTest::sys_;
std::string* GatewayPatientsTest::cookie_;

constexpr char kJane[] =
    R"({"requestId":"it-1","patient":{"givenName":"Jane","familyName":"Runner",)"
    R"("birthDate":{"year":1990,"month":4,"day":2},"email":"jane@example.com",)"
    R"("phone":"(303) 555-0100"}})";

TEST_F(GatewayPatientsTest, CreateGetListUpdateThroughTheGateway) {
  HttpResponse created = Post("CreatePatient", kJane);
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.Header("content-type").rfind("application/json", 0), 0u);
  const std::string name = Field(created.body, "name");
  ASSERT_EQ(name.rfind("patients/", 0), 0u) << created.body;
  EXPECT_EQ(Field(created.body, "phone"), "+13035550100");

  // A retry with the same request id returns the same patient.
  EXPECT_EQ(Field(Post("CreatePatient", kJane).body, "name"), name);

  HttpResponse got = Post("GetPatient", R"({"name":")" + name + R"("})");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Field(got.body, "familyName"), "Runner");

  HttpResponse listed = Post("ListPatients", R"({"namePrefix":"RUN"})");
  ASSERT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find(name), std::string::npos) << listed.body;
  // A NUL would end the prefix in SQL ("RUN" would be searched): refused,
  // naming the field, as is any control character anywhere in a request.
  HttpResponse nul = Post("ListPatients", R"({"namePrefix":"RUN\u0000x"})");
  EXPECT_EQ(nul.status, 400) << nul.body;
  EXPECT_NE(nul.body.find("name_prefix: must not contain control characters"),
            std::string::npos)
      << nul.body;
  HttpResponse esc = Post(
      "CreatePatient",
      R"({"requestId":"esc-1","patient":{"givenName":"Ja\u001bne",)"
      R"("familyName":"Run\u0007ner","birthDate":{"year":1990,"month":1,"day":2}}})");
  EXPECT_EQ(esc.status, 400) << esc.body;
  EXPECT_NE(esc.body.find("patient.given_name: must not contain control "
                          "characters; patient.family_name"),
            std::string::npos)
      << esc.body;

  const std::string etag = Field(got.body, "etag");
  HttpResponse updated =
      Post("UpdatePatient",
           R"({"patient":{"name":")" + name + R"(","etag":")" + etag +
               R"(","phone":"303-555-0199"},"updateMask":"phone"})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(Field(updated.body, "phone"), "+13035550199");

  // The same etag again is stale: ABORTED -> 409.
  HttpResponse stale =
      Post("UpdatePatient",
           R"({"patient":{"name":")" + name + R"(","etag":")" + etag +
               R"(","phone":"303-555-0198"},"updateMask":"phone"})");
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(Field(stale.body, "code"), "aborted");
}

TEST_F(GatewayPatientsTest, ServiceErrorsBecomeConnectErrors) {
  HttpResponse bad_email =
      Post("CreatePatient",
           R"({"patient":{"givenName":"A","familyName":"B",)"
           R"("birthDate":{"year":1990,"month":1,"day":1},"email":"nope"}})");
  EXPECT_EQ(bad_email.status, 400);
  EXPECT_EQ(Field(bad_email.body, "code"), "invalid_argument");
  EXPECT_EQ(Field(bad_email.body, "message").rfind("patient.email: ", 0), 0u)
      << bad_email.body;

  HttpResponse missing =
      Post("GetPatient",
           R"({"name":"patients/00000000-0000-4000-8000-000000000000"})");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Field(missing.body, "code"), "not_found");

  HttpResponse future =
      Post("CreatePatient", R"({"patient":{"givenName":"A","familyName":"B",)"
                            R"("birthDate":{"year":2999,"month":1,"day":1}}})");
  EXPECT_EQ(future.status, 400);
  EXPECT_EQ(Field(future.body, "message"),
            "patient.birth_date: must not be in the future");
}

TEST_F(GatewayPatientsTest, BinaryProtobufWorksToo) {
  patients::v1::CreatePatientRequest req;
  req.mutable_patient()->set_given_name("Bin");
  req.mutable_patient()->set_family_name("Ary");
  req.mutable_patient()->mutable_birth_date()->set_year(1970);
  req.mutable_patient()->mutable_birth_date()->set_month(1);
  req.mutable_patient()->mutable_birth_date()->set_day(1);
  HttpResponse resp =
      sys_->Post(std::string(kPrefix) + "CreatePatient",
                 req.SerializeAsString(), *cookie_, "application/proto");
  ASSERT_EQ(resp.status, 200);
  EXPECT_EQ(resp.Header("content-type"), "application/proto");
  patients::v1::Patient p;
  ASSERT_TRUE(p.ParseFromString(resp.body));
  EXPECT_EQ(p.family_name(), "Ary");
  EXPECT_EQ(p.state(), patients::v1::PATIENT_STATE_ACTIVE);
}

}  // namespace
}  // namespace clinic::integration
