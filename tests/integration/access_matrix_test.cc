// The access matrix, generated from the protos: every RPC of every clinic
// service x {anonymous, front desk, therapist, admin, deactivated member,
// expired session} gets exactly the answer its (clinic.api.v1.access)
// option says, through the real gateway, staff service and patients
// service on a real PostgreSQL. Also: logout ends a session for good (a
// stolen cookie is refused) and audit rows for a search and an edit.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor_database.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "clinic/api/v1/access.pb.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "clinic/staff/v1/staff_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/staff/bootstrap.h"
#include "tests/integration/system.h"

namespace clinic::integration {
namespace {

using gateway::testing::HttpRequest;
using gateway::testing::HttpResponse;
using google::protobuf::DescriptorPool;
using google::protobuf::MethodDescriptor;

// The gateway's own refusal (services word theirs differently).
constexpr char kGatewayRoleRefusal[] = "your roles do not allow this call";

std::vector<const MethodDescriptor*> AllClinicMethods() {
  std::vector<std::string> files;
  DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  std::vector<const MethodDescriptor*> methods;
  for (const std::string& file : files) {
    if (file.rfind("clinic/", 0) != 0) continue;
    const auto* fd = DescriptorPool::generated_pool()->FindFileByName(file);
    for (int s = 0; fd && s < fd->service_count(); ++s) {
      for (int m = 0; m < fd->service(s)->method_count(); ++m) {
        methods.push_back(fd->service(s)->method(m));
      }
    }
  }
  return methods;
}

enum class Who {
  kAnonymous,
  kFrontDesk,
  kTherapist,
  kAdmin,
  kDeactivated,
  kExpired
};

const char* WhoName(Who w) {
  switch (w) {
    case Who::kAnonymous:
      return "anonymous";
    case Who::kFrontDesk:
      return "front_desk";
    case Who::kTherapist:
      return "therapist";
    case Who::kAdmin:
      return "admin";
    case Who::kDeactivated:
      return "deactivated";
    case Who::kExpired:
      return "expired";
  }
  return "?";
}

TEST(AccessMatrixTest, EveryRpcAnswersEveryCallerAsItsOptionSays) {
  System sys;
  absl::StatusOr<staff::BootstrapResult> admin = staff::BootstrapAdmin(
      sys.staff_store(), staff::BootstrapRequest{"admin@matrix.example"});
  ASSERT_TRUE(admin.ok()) << admin.status();
  std::map<Who, std::string> cookies;
  cookies[Who::kAnonymous] = "";

  // The expired session first: it idles 35 minutes, the others 10.
  const std::string admin0 = sys.Login("admin@matrix.example", admin->password);
  auto expired = sys.CreateMember(admin0, "expired@matrix.example",
                                  "STAFF_ROLE_FRONT_DESK");
  cookies[Who::kExpired] = sys.Login("expired@matrix.example", expired.second);
  g_offset_seconds += 25 * 60;
  cookies[Who::kAdmin] = sys.Login("admin@matrix.example", admin->password);
  auto desk = sys.CreateMember(cookies[Who::kAdmin], "desk@matrix.example",
                               "STAFF_ROLE_FRONT_DESK");
  auto therapist = sys.CreateMember(cookies[Who::kAdmin], "pt@matrix.example",
                                    "STAFF_ROLE_THERAPIST");
  auto gone = sys.CreateMember(cookies[Who::kAdmin], "gone@matrix.example",
                               "STAFF_ROLE_ADMIN");
  cookies[Who::kFrontDesk] = sys.Login("desk@matrix.example", desk.second);
  cookies[Who::kTherapist] = sys.Login("pt@matrix.example", therapist.second);
  cookies[Who::kDeactivated] = sys.Login("gone@matrix.example", gone.second);
  ASSERT_EQ(sys.Post("/clinic.staff.v1.StaffService/DeactivateStaffMember",
                     absl::StrCat(R"({"name":")", gone.first, R"("})"),
                     cookies[Who::kAdmin])
                .status,
            200);
  g_offset_seconds += 10 * 60;

  std::vector<const MethodDescriptor*> methods = AllClinicMethods();
  // Logout ends the caller's session: call it last.
  std::stable_partition(
      methods.begin(), methods.end(),
      [](const MethodDescriptor* m) { return m->name() != "Logout"; });
  ASSERT_GE(methods.size(), 19u);
  const std::vector<Who> callers = {Who::kAnonymous,   Who::kFrontDesk,
                                    Who::kTherapist,   Who::kAdmin,
                                    Who::kDeactivated, Who::kExpired};
  int cells = 0;
  for (const MethodDescriptor* m : methods) {
    const api::v1::Access& access = m->options().GetExtension(api::v1::access);
    std::set<int> roles(access.staff_roles().begin(),
                        access.staff_roles().end());
    for (Who who : callers) {
      SCOPED_TRACE(absl::StrCat(m->full_name(), " as ", WhoName(who)));
      HttpResponse r =
          sys.Post(absl::StrCat("/", m->service()->full_name(), "/", m->name()),
                   "{}", cookies[who]);
      const std::string code = Field(r.body, "code");
      ++cells;
      if (access.internal_only()) {
        EXPECT_EQ(r.status, 404) << r.body;
        continue;
      }
      if (access.allow_anonymous()) {
        EXPECT_NE(r.status, 401) << r.body;
        EXPECT_NE(r.status, 403) << r.body;
        continue;
      }
      const int role = who == Who::kFrontDesk   ? api::v1::STAFF_ROLE_FRONT_DESK
                       : who == Who::kTherapist ? api::v1::STAFF_ROLE_THERAPIST
                       : who == Who::kAdmin     ? api::v1::STAFF_ROLE_ADMIN
                                                : 0;
      if (role == 0) {  // anonymous, deactivated, expired
        EXPECT_EQ(r.status, 401) << r.body;
        EXPECT_EQ(code, "unauthenticated") << r.body;
      } else if (roles.count(role) == 0) {
        EXPECT_EQ(r.status, 403) << r.body;
        EXPECT_EQ(Field(r.body, "message"), kGatewayRoleRefusal) << r.body;
      } else {
        // Forwarded: the service answered (often 400 for the empty body,
        // or 403 when it narrows the rule, e.g. admin-or-self).
        EXPECT_NE(r.status, 401) << r.body;
        EXPECT_NE(r.status, 404) << r.body;
        EXPECT_NE(r.status, 503) << r.body;
        EXPECT_NE(Field(r.body, "message"), kGatewayRoleRefusal) << r.body;
      }
    }
  }
  std::printf("access matrix: %zu RPCs x %zu callers = %d cells\n",
              methods.size(), callers.size(), cells);
  ::testing::Test::RecordProperty("cells", cells);
}

TEST(AccessMatrixTest, LoggedOutCookieIsRefusedAndPatientAccessIsAudited) {
  System sys;
  const auto [admin_cookie, cookie] = sys.AdminAndFrontDesk("audit.example");

  HttpResponse created =
      sys.Post("/clinic.patients.v1.PatientService/CreatePatient",
               R"({"patient":{"givenName":"Jane","familyName":"Runner",)"
               R"("birthDate":{"year":1990,"month":4,"day":2}}})",
               cookie);
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string name = Field(created.body, "name");
  ASSERT_EQ(sys.Post("/clinic.patients.v1.PatientService/ListPatients",
                     R"({"namePrefix":"run"})", cookie)
                .status,
            200);
  ASSERT_EQ(sys.Post("/clinic.patients.v1.PatientService/UpdatePatient",
                     absl::StrCat(R"({"patient":{"name":")", name,
                                  R"(","etag":"1","phone":"303 555 0100"},)"
                                  R"("updateMask":"phone"})"),
                     cookie)
                .status,
            200);

  HttpResponse trail =
      sys.Post("/clinic.patients.v1.PatientService/ListPatientAuditEvents",
               absl::StrCat(R"({"resource":")", name, R"("})"), admin_cookie);
  ASSERT_EQ(trail.status, 200) << trail.body;
  std::printf("audit rows for one create, one search and one edit:\n%s\n",
              trail.body.c_str());
  for (const char* action :
       {"PatientService/CreatePatient", "PatientService/ListPatients",
        "PatientService/UpdatePatient"}) {
    EXPECT_NE(trail.body.find(action), std::string::npos) << action;
  }
  EXPECT_NE(trail.body.find(R"("actorRoles":["STAFF_ROLE_FRONT_DESK"])"),
            std::string::npos);
  EXPECT_NE(trail.body.find(R"("clientAddress":"127.0.0.1")"),
            std::string::npos);
  EXPECT_NE(trail.body.find(R"("requestId":")"), std::string::npos);

  // Log out; the same cookie (as a thief would replay it) is refused.
  ASSERT_EQ(sys.Post("/auth/logout", "{}", cookie).status, 200);
  HttpResponse replay =
      sys.Post("/clinic.patients.v1.PatientService/ListPatients", "{}", cookie);
  EXPECT_EQ(replay.status, 401) << replay.body;
}

}  // namespace
}  // namespace clinic::integration
