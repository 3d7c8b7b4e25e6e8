#include "services/gateway/connect_codec.h"

#include <string>

#include "absl/status/status.h"
#include "clinic/patients/v1/patients_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

using ::clinic::patients::v1::CreatePatientRequest;
using ::clinic::patients::v1::Patient;
using ::testing::HasSubstr;

const google::protobuf::MethodDescriptor& Method(const char* name) {
  const auto* m =
      FindMethod(RpcPath{"clinic.patients.v1.PatientService", name});
  EXPECT_NE(m, nullptr) << name;
  return *m;
}

TEST(ParseRpcPathTest, Shapes) {
  auto p = ParseRpcPath("/clinic.patients.v1.PatientService/GetPatient");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->service, "clinic.patients.v1.PatientService");
  EXPECT_EQ(p->method, "GetPatient");
  EXPECT_FALSE(ParseRpcPath("/"));
  EXPECT_FALSE(ParseRpcPath("/index.html"));
  EXPECT_FALSE(ParseRpcPath("/assets/app.js"));
  EXPECT_FALSE(ParseRpcPath("/staff/patients"));
  EXPECT_FALSE(ParseRpcPath("/a.B/C/D"));
  EXPECT_FALSE(ParseRpcPath("/a.B/"));
}

TEST(FindMethodTest, FindsGeneratedServicesOnly) {
  EXPECT_NE(FindMethod({"clinic.patients.v1.PatientService", "GetPatient"}),
            nullptr);
  EXPECT_EQ(FindMethod({"clinic.patients.v1.PatientService", "Nope"}), nullptr);
  EXPECT_EQ(FindMethod({"clinic.nope.v1.NopeService", "GetPatient"}), nullptr);
}

TEST(RequestToWireTest, JsonWithCamelAndSnakeNames) {
  auto wire =
      RequestToWire(Method("CreatePatient"), Codec::kJson,
                    R"({"patient":{"givenName":"Ada","family_name":"Lovelace",
          "birthDate":{"year":1815,"month":12,"day":10}},"requestId":"r1"})");
  ASSERT_TRUE(wire.ok()) << wire.status();
  CreatePatientRequest req;
  ASSERT_TRUE(req.ParseFromString(*wire));
  EXPECT_EQ(req.patient().given_name(), "Ada");
  EXPECT_EQ(req.patient().family_name(), "Lovelace");
  EXPECT_EQ(req.patient().birth_date().year(), 1815);
  EXPECT_EQ(req.request_id(), "r1");
}

TEST(RequestToWireTest, EmptyJsonBodyIsAnEmptyMessage) {
  auto wire = RequestToWire(Method("GetPatient"), Codec::kJson, "");
  ASSERT_TRUE(wire.ok()) << wire.status();
  EXPECT_TRUE(wire->empty());
}

TEST(RequestToWireTest, JsonErrors) {
  auto unknown =
      RequestToWire(Method("GetPatient"), Codec::kJson, R"({"nmae":"x"})");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr("nmae"));
  EXPECT_EQ(RequestToWire(Method("GetPatient"), Codec::kJson, "{\"name\":")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RequestToWire(Method("GetPatient"), Codec::kJson, R"({"name":5})")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  auto deep = RequestToWire(Method("GetPatient"), Codec::kJson,
                            std::string(1 << 20, '['));
  EXPECT_EQ(deep.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(deep.status().message(), HasSubstr("nested"));
}

TEST(RequestToWireTest, BinaryIsValidatedAndPassedThrough) {
  CreatePatientRequest req;
  req.mutable_patient()->set_given_name("Ada");
  std::string bytes = req.SerializeAsString();
  EXPECT_EQ(*RequestToWire(Method("CreatePatient"), Codec::kProto, bytes),
            bytes);
  EXPECT_EQ(RequestToWire(Method("CreatePatient"), Codec::kProto, "\xff\xff")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ResponseFromWireTest, JsonIsLowerCamelCaseWithoutDefaults) {
  Patient p;
  p.set_name("patients/1");
  p.set_given_name("Ada");
  p.mutable_birth_date()->set_year(1815);
  auto json = ResponseFromWire(Method("GetPatient"), Codec::kJson,
                               p.SerializeAsString());
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(
      *json,
      R"({"name":"patients/1","givenName":"Ada","birthDate":{"year":1815}})");
  EXPECT_EQ(ResponseFromWire(Method("GetPatient"), Codec::kJson, "\xff")
                .status()
                .code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(*ResponseFromWire(Method("GetPatient"), Codec::kProto,
                              p.SerializeAsString()),
            p.SerializeAsString());
}

}  // namespace
}  // namespace clinic::gateway
