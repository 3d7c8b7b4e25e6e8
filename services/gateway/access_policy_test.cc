#include "services/gateway/access_policy.h"

#include "absl/status/status.h"
#include "clinic/api/v1/access.pb.h"
#include "gtest/gtest.h"

namespace clinic::gateway {
namespace {

using ::clinic::api::v1::Access;

TEST(CheckAccessTest, MethodWithoutPolicyIsRefusedEvenFromLoopback) {
  absl::Status s = CheckAccess(Access(), Caller{/*loopback=*/true});
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "method has no access policy");
}

TEST(CheckAccessTest, AnonymousMethodIsOpenToAnyone) {
  Access access;
  access.set_allow_anonymous(true);
  EXPECT_TRUE(CheckAccess(access, Caller{/*loopback=*/false}).ok());
  EXPECT_TRUE(CheckAccess(access, Caller{/*loopback=*/true}).ok());
}

TEST(CheckAccessTest, StaffMethodOnlyFromLoopback) {
  Access access;
  access.add_staff_roles(clinic::api::v1::STAFF_ROLE_FRONT_DESK);
  EXPECT_TRUE(CheckAccess(access, Caller{/*loopback=*/true}).ok());
  EXPECT_EQ(CheckAccess(access, Caller{/*loopback=*/false}).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(IsLoopbackAddressTest, Loopback) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackAddress("127.255.3.4"));
  EXPECT_TRUE(IsLoopbackAddress("::1"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]"));
  EXPECT_TRUE(IsLoopbackAddress("::ffff:127.0.0.1"));
}

TEST(IsLoopbackAddressTest, NotLoopback) {
  EXPECT_FALSE(IsLoopbackAddress("128.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("203.0.113.7"));
  EXPECT_FALSE(IsLoopbackAddress("::2"));
  EXPECT_FALSE(IsLoopbackAddress("::ffff:10.0.0.1"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackAddress("::"));
  EXPECT_FALSE(IsLoopbackAddress(""));
  EXPECT_FALSE(IsLoopbackAddress("localhost"));
  EXPECT_FALSE(IsLoopbackAddress("127.0.0.1.evil"));
}

}  // namespace
}  // namespace clinic::gateway
