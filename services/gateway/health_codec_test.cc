#include "services/gateway/health_codec.h"

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

// StringValue{value = 1} and Int32Value{value = 1} have the same wire shape as
// HealthCheckRequest{service = 1} and HealthCheckResponse{status = 1}, so a
// real protobuf implementation checks the hand encoding.
TEST(HealthCodecTest, RequestMatchesProtobufEncoding) {
  for (std::string service :
       {std::string(""), std::string("clinic.patients.v1.PatientService"),
        std::string(300, 's')}) {
    google::protobuf::StringValue v;
    v.set_value(service);
    EXPECT_EQ(EncodeHealthCheckRequest(service), v.SerializeAsString());
  }
}

TEST(HealthCodecTest, DecodesStatus) {
  google::protobuf::Int32Value v;
  for (int s : {0, 1, 2, 3}) {
    v.set_value(s);
    EXPECT_EQ(*DecodeHealthCheckStatus(v.SerializeAsString()), s);
  }
  EXPECT_EQ(*DecodeHealthCheckStatus(""), 0);
  // An unknown string field 2 is skipped.
  EXPECT_EQ(*DecodeHealthCheckStatus(std::string("\x12\x01x\x08\x01", 5)), 1);
}

TEST(HealthCodecTest, MalformedIsRefused) {
  EXPECT_FALSE(DecodeHealthCheckStatus("\x08").ok());
  EXPECT_FALSE(DecodeHealthCheckStatus("\x12\x05x").ok());
}

}  // namespace
}  // namespace clinic::gateway
