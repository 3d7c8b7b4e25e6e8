#include "services/common/access/access.h"

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "clinic/api/v1/access.pb.h"
#include "gtest/gtest.h"

namespace clinic::access {
namespace {

using ::clinic::api::v1::Access;
using ::clinic::api::v1::STAFF_ROLE_ADMIN;
using ::clinic::api::v1::STAFF_ROLE_FRONT_DESK;
using ::clinic::api::v1::STAFF_ROLE_THERAPIST;
using ::clinic::api::v1::STAFF_ROLE_UNSPECIFIED;
using Code = absl::StatusCode;

Access InternalOnly() {
  Access a;
  a.set_internal_only(true);
  return a;
}
Access Anonymous() {
  Access a;
  a.set_allow_anonymous(true);
  return a;
}
Access Staff() {
  Access a;
  a.add_staff_roles(STAFF_ROLE_ADMIN);
  a.add_staff_roles(STAFF_ROLE_FRONT_DESK);
  return a;
}

const std::optional<Principal> kNobody = std::nullopt;
const std::optional<Principal> kFrontDesk = Principal{{STAFF_ROLE_FRONT_DESK}};
const std::optional<Principal> kTherapist = Principal{{STAFF_ROLE_THERAPIST}};

// Every kind x {anonymous, session with a listed role, session without one}.
struct Row {
  std::string kind;
  Access access;
  Code anonymous;
  Code with_role;
  Code without_role;
};

TEST(CheckAccessTest, DecisionTable) {
  const Row rows[] = {
      {"internal_only", InternalOnly(), Code::kNotFound, Code::kNotFound,
       Code::kNotFound},
      {"none", Access(), Code::kPermissionDenied, Code::kPermissionDenied,
       Code::kPermissionDenied},
      {"allow_anonymous", Anonymous(), Code::kOk, Code::kOk, Code::kOk},
      {"staff_roles", Staff(), Code::kUnauthenticated, Code::kOk,
       Code::kPermissionDenied},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(CheckAccess(row.access, kNobody).code(), row.anonymous)
        << row.kind;
    EXPECT_EQ(CheckAccess(row.access, kFrontDesk).code(), row.with_role)
        << row.kind;
    EXPECT_EQ(CheckAccess(row.access, kTherapist).code(), row.without_role)
        << row.kind;
  }
}

TEST(CheckAccessTest, MessagesSayWhatIsMissing) {
  EXPECT_EQ(CheckAccess(Access(), kFrontDesk).message(),
            "method has no access policy");
  EXPECT_EQ(CheckAccess(Staff(), kNobody).message(), "sign in first");
  EXPECT_EQ(CheckAccess(Staff(), kTherapist).message(),
            "your roles do not allow this call");
}

TEST(CheckAccessTest, AnyOneOfSeveralRolesIsEnough) {
  const std::optional<Principal> both =
      Principal{{STAFF_ROLE_THERAPIST, STAFF_ROLE_ADMIN}};
  EXPECT_TRUE(CheckAccess(Staff(), both).ok());
}

TEST(CheckAccessTest, SessionWithoutRolesOrUnspecifiedRoleIsRefused) {
  EXPECT_EQ(CheckAccess(Staff(), Principal{}).code(), Code::kPermissionDenied);
  Access unspecified;
  unspecified.add_staff_roles(STAFF_ROLE_UNSPECIFIED);
  EXPECT_EQ(
      CheckAccess(unspecified, Principal{{STAFF_ROLE_UNSPECIFIED}}).code(),
      Code::kPermissionDenied);
}

TEST(CheckAccessTest, ServicesAcceptInternalCallsAndDecideTheRestAlike) {
  EXPECT_TRUE(CheckAccess(InternalOnly(), kNobody, Via::kService).ok());
  EXPECT_TRUE(CheckAccess(InternalOnly(), kTherapist, Via::kService).ok());
  EXPECT_EQ(CheckAccess(Staff(), kNobody, Via::kService).code(),
            Code::kUnauthenticated);
  EXPECT_EQ(CheckAccess(Staff(), kTherapist, Via::kService).code(),
            Code::kPermissionDenied);
  EXPECT_TRUE(CheckAccess(Staff(), kFrontDesk, Via::kService).ok());
  EXPECT_TRUE(CheckAccess(Anonymous(), kNobody, Via::kService).ok());
  EXPECT_EQ(CheckAccess(Access(), kFrontDesk, Via::kService).code(),
            Code::kPermissionDenied);
}

TEST(CheckAccessTest, AlsoServicesLetsServicesCallForAnonymousPeopleOnly) {
  Access a = Staff();
  a.set_also_services(true);
  EXPECT_TRUE(CheckAccess(a, kNobody, Via::kService).ok());
  EXPECT_EQ(CheckAccess(a, kNobody, Via::kBrowser).code(),
            Code::kUnauthenticated);
  EXPECT_EQ(CheckAccess(a, kTherapist, Via::kService).code(),
            Code::kPermissionDenied);
  EXPECT_TRUE(CheckAccess(a, kFrontDesk, Via::kBrowser).ok());
  EXPECT_EQ(KindOf(a), AccessKind::kStaff);
}

TEST(KindOfTest, MalformedOptionsReadAsTheMostRestrictiveKind) {
  EXPECT_EQ(KindOf(Access()), AccessKind::kUndeclared);
  EXPECT_EQ(KindOf(Anonymous()), AccessKind::kAnonymous);
  EXPECT_EQ(KindOf(Staff()), AccessKind::kStaff);
  EXPECT_EQ(KindOf(InternalOnly()), AccessKind::kInternalOnly);

  Access anonymous_and_staff = Staff();
  anonymous_and_staff.set_allow_anonymous(true);
  EXPECT_EQ(KindOf(anonymous_and_staff), AccessKind::kStaff);
  EXPECT_EQ(CheckAccess(anonymous_and_staff, kNobody).code(),
            Code::kUnauthenticated);

  Access internal_and_anonymous = Anonymous();
  internal_and_anonymous.set_internal_only(true);
  EXPECT_EQ(KindOf(internal_and_anonymous), AccessKind::kInternalOnly);
}

}  // namespace
}  // namespace clinic::access
