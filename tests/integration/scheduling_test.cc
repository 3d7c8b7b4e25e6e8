// Scheduling across services: the appointments service asks the real staff
// service who is an active therapist and with which credentials, and a
// front-desk booking goes HTTP -> gateway -> appointments -> PostgreSQL.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/integration/system.h"

namespace clinic::integration {
namespace {

using gateway::testing::HttpResponse;

constexpr char kA[] = "/clinic.appointments.v1.";

std::string Weekdays(const std::string& location, int from, int to) {
  std::string out;
  for (const char* day :
       {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"}) {
    absl::StrAppend(&out, out.empty() ? "" : ",", R"({"location":")", location,
                    R"(","day":")", day, R"(","start":{"hours":)", from,
                    R"(},"end":{"hours":)", to, "}}");
  }
  return out;
}

TEST(SchedulingTest, CredentialsComeFromTheStaffService) {
  System sys;
  const auto [admin, desk] = sys.AdminAndFrontDesk("sched.example");
  HttpResponse r = sys.Post(
      absl::StrCat(kA, "LocationService/CreateLocation"),
      R"({"location":{"displayName":"Main","timeZone":"America/New_York",)"
      R"("openingHours":[{"day":"MONDAY","open":{"hours":7},"close":{"hours":19}},)"
      R"({"day":"TUESDAY","open":{"hours":7},"close":{"hours":19}},)"
      R"({"day":"WEDNESDAY","open":{"hours":7},"close":{"hours":19}},)"
      R"({"day":"THURSDAY","open":{"hours":7},"close":{"hours":19}},)"
      R"({"day":"FRIDAY","open":{"hours":7},"close":{"hours":19}}]}})",
      admin);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string location = Field(r.body, "name");
  r = sys.Post(absl::StrCat(kA, "AppointmentTypeService/CreateAppointmentType"),
               R"({"appointmentType":{"displayName":"Initial evaluation",)"
               R"("duration":"3600s","allowedCredentials":["DPT"]}})",
               admin);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string type = Field(r.body, "name");

  // A PT (not DPT) therapist.
  r = sys.Post("/clinic.staff.v1.StaffService/CreateStaffMember",
               R"({"staffMember":{"givenName":"Pat","familyName":"Tee",)"
               R"("email":"pt@sched.example","roles":["STAFF_ROLE_THERAPIST"],)"
               R"("credentials":["PT"]}})",
               admin);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string pt = Field(r.body, "name");
  // Someone who is no staff member gets no schedule.
  r = sys.Post(absl::StrCat(kA, "ScheduleService/UpdateProviderSchedule"),
               absl::StrCat(R"({"schedule":{"name":"staff/)",
                            "00000000-0000-4000-8000-000000000000",
                            R"(/schedule","weeklyHours":[)",
                            Weekdays(location, 9, 17), "]}}"),
               admin);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Field(r.body, "code"), "failed_precondition") << r.body;
  EXPECT_NE(Field(r.body, "message").find("schedule.name: "), std::string::npos)
      << r.body;

  r = sys.Post(absl::StrCat(kA, "ScheduleService/UpdateProviderSchedule"),
               absl::StrCat(R"({"schedule":{"name":")", pt,
                            R"(/schedule","weeklyHours":[)",
                            Weekdays(location, 9, 17), "]}}"),
               admin);
  ASSERT_EQ(r.status, 200) << r.body;

  // Next Monday 10:00 New York: in hours, but a DPT-only type.
  absl::TimeZone ny;
  ASSERT_TRUE(absl::LoadTimeZone("America/New_York", &ny));
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), ny) + 7;
  while (absl::GetWeekday(day) != absl::Weekday::monday) ++day;
  const std::string start = absl::FormatTime(
      absl::RFC3339_sec,
      absl::FromCivil(absl::CivilHour(day.year(), day.month(), day.day(), 10),
                      ny),
      absl::UTCTimeZone());
  r = sys.Post(
      absl::StrCat(kA, "AppointmentService/BookAppointment"),
      absl::StrCat(
          R"({"appointment":{"patient":"patients/11111111-1111-4111-8111-111111111111",)",
          R"("therapist":")", pt, R"(","location":")", location,
          R"(","appointmentType":")", type, R"(","startTime":")", start,
          R"("}})"),
      desk);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Field(r.body, "code"), "failed_precondition") << r.body;
  EXPECT_NE(r.body.find("DPT"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace clinic::integration
