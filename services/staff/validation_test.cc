#include "services/staff/validation.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace clinic::staff {
namespace {

using api::v1::STAFF_ROLE_ADMIN;
using api::v1::STAFF_ROLE_THERAPIST;
using v1::StaffMember;

StaffMember Valid() {
  StaffMember m;
  m.set_given_name("  Jane ");
  m.set_family_name("Runner");
  m.set_email(" Jane.Runner@Example.COM ");
  m.add_roles(STAFF_ROLE_THERAPIST);
  m.add_roles(STAFF_ROLE_ADMIN);
  m.add_credentials("DPT");
  m.add_credentials("OCS");
  m.add_home_locations("locations/downtown");
  m.set_etag("7");
  m.set_state(v1::STAFF_STATE_DEACTIVATED);
  return m;
}

TEST(ValidationTest, NormalizesAValidMember) {
  StaffMember m = Valid();
  ASSERT_TRUE(NormalizeAndValidateMember("staff_member", m).ok());
  EXPECT_EQ(m.given_name(), "Jane");
  EXPECT_EQ(m.email(), "Jane.Runner@example.com");
  ASSERT_EQ(m.roles_size(), 2);
  EXPECT_EQ(m.roles(0), STAFF_ROLE_ADMIN);  // sorted
  EXPECT_EQ(m.etag(), "");
  EXPECT_EQ(m.state(), v1::STAFF_STATE_UNSPECIFIED);
}

TEST(ValidationTest, ErrorsNameTheField) {
  struct Case {
    std::function<void(StaffMember&)> spoil;
    std::string message;
  } cases[] = {
      {[](StaffMember& m) { m.set_given_name(" "); },
       "staff_member.given_name: is required"},
      {[](StaffMember& m) { m.set_family_name(std::string(101, 'x')); },
       "staff_member.family_name: longer than 100 characters"},
      {[](StaffMember& m) { m.set_email("jane@"); }, "staff_member.email: "},
      {[](StaffMember& m) { m.set_email(""); },
       "staff_member.email: is required"},
      {[](StaffMember& m) { m.clear_roles(); },
       "staff_member.roles: at least one role"},
      {[](StaffMember& m) { m.add_roles(STAFF_ROLE_ADMIN); },
       "staff_member.roles: duplicate role STAFF_ROLE_ADMIN"},
      {[](StaffMember& m) { m.add_roles(static_cast<api::v1::StaffRole>(9)); },
       "staff_member.roles: unknown role 9"},
      {[](StaffMember& m) { m.add_roles(api::v1::STAFF_ROLE_UNSPECIFIED); },
       "staff_member.roles: unknown role 0"},
      {[](StaffMember& m) { m.add_credentials("P.T."); },
       "staff_member.credentials: "},
      {[](StaffMember& m) { m.add_credentials(std::string(17, 'A')); },
       "staff_member.credentials: "},
      {[](StaffMember& m) { m.add_credentials("dpt"); },
       "staff_member.credentials: duplicate"},
      {[](StaffMember& m) {
         for (int i = 0; i < 7; ++i) m.add_credentials("C" + std::to_string(i));
       },
       "staff_member.credentials: at most 8"},
      {[](StaffMember& m) { m.add_home_locations("downtown"); },
       "staff_member.home_locations: "},
      {[](StaffMember& m) { m.add_home_locations("locations/Down Town"); },
       "staff_member.home_locations: "},
      {[](StaffMember& m) { m.add_home_locations("locations/downtown"); },
       "staff_member.home_locations: duplicate"},
  };
  for (const Case& c : cases) {
    StaffMember m = Valid();
    c.spoil(m);
    absl::Status s = NormalizeAndValidateMember("staff_member", m);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_TRUE(absl::StartsWith(s.message(), c.message))
        << s.message() << " vs " << c.message;
  }
}

TEST(ValidationTest, Names) {
  EXPECT_EQ(
      *ParseMemberName("name", "staff/0F000000-0000-4000-8000-000000000000"),
      "0f000000-0000-4000-8000-000000000000");
  EXPECT_EQ(ParseMemberName("name", "staff/42").status().message(),
            "name: must look like staff/{uuid}");
  EXPECT_EQ(ParseMemberName("name", "").status().message(),
            "name: is required");
  absl::StatusOr<SessionName> s =
      ParseSessionName("name",
                       "staff/0f000000-0000-4000-8000-000000000000/sessions/"
                       "1f000000-0000-4000-8000-000000000000");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->session_id, "1f000000-0000-4000-8000-000000000000");
  EXPECT_FALSE(ParseSessionName("name", "staff/x/sessions/y").ok());
}

TEST(ValidationTest, SanitizeForDisplay) {
  EXPECT_EQ(SanitizeForDisplay("Mozilla/5.0\n(X11)", 200), "Mozilla/5.0?(X11)");
  EXPECT_EQ(SanitizeForDisplay("ééé", 2), "éé");
  EXPECT_EQ(SanitizeForDisplay("a\xff"
                               "b",
                               10),
            "a?b");
}

}  // namespace
}  // namespace clinic::staff
