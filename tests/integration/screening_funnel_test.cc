// The funnel across the services, through the gateway: a contact request
// from the public form, the patient the front desk records, the screening a
// therapist performs (linked to the request by phone), and its conversion
// into an initial evaluation booked in the real calendar (gateway ->
// screenings -> appointments -> PostgreSQL), counted in the funnel report.
// References to patients that do not exist are refused by name.
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
constexpr char kS[] = "/clinic.screenings.v1.ScreeningService/";
constexpr char kNobody[] = "patients/00000000-0000-4000-8000-000000000000";

std::string DateJson(absl::CivilDay d) {
  return absl::StrCat(R"({"year":)", d.year(), R"(,"month":)", d.month(),
                      R"(,"day":)", d.day(), "}");
}

// The first "startTime" in a FindAvailableSlots answer.
std::string FirstStart(const std::string& body) {
  return Field(body.substr(body.find("\"slots\"") + 1), "startTime");
}

class ScreeningFunnelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto [admin, desk] = sys_.AdminAndFrontDesk("funnel.example");
    admin_ = admin;
    desk_ = desk;
    const System::Practice p = sys_.MakePractice(
        admin_, "pt@funnel.example",
        R"({"displayName":"Initial evaluation","duration":"3600s"})");
    therapist_ = p.therapist;
    location_ = p.location;
    type_ = p.type;
    pt_ = sys_.Login("pt@funnel.example", p.therapist_password);
  }

  // An open start for the evaluation, two days from now.
  std::string OpenStart() {
    absl::TimeZone denver;
    absl::LoadTimeZone("America/Denver", &denver);
    const absl::CivilDay day = absl::ToCivilDay(absl::Now(), denver) + 2;
    HttpResponse r = sys_.Post(
        absl::StrCat(kA, "AppointmentService/FindAvailableSlots"),
        absl::StrCat(R"({"appointmentType":")", type_, R"(","locations":[")",
                     location_, R"("],"therapist":")", therapist_,
                     R"(","startDate":)", DateJson(day), R"(,"endDate":)",
                     DateJson(day), "}"),
        desk_);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("startTime"), std::string::npos) << r.body;
    return FirstStart(r.body);
  }

  std::string Convert(const std::string& screening, const std::string& rid,
                      const std::string& start) {
    return absl::StrCat(R"({"name":")", screening, R"(","location":")",
                        location_, R"(","appointmentType":")", type_,
                        R"(","therapist":")", therapist_, R"(","startTime":")",
                        start, R"(","requestId":")", rid, R"("})");
  }

  System sys_;
  std::string admin_, desk_, pt_, therapist_, location_, type_;
};

TEST_F(ScreeningFunnelTest, ARequestBecomesAScreeningAndThenTreatment) {
  HttpResponse r = sys_.Post(
      "/clinic.booking.v1.BookingService/RequestContact",
      absl::StrCat(
          R"({"requestId":"web-1","givenName":"Priya","familyName":"Raman",)"
          R"("phone":"303 555 0171","preferredContact":"PREFERRED_CONTACT_PHONE",)"
          R"("painArea":"PAIN_AREA_KNEE","concern":"inner knee pain on hills",)"
          R"("consentToContact":true,"location":")",
          location_, R"(","campaign":"conditions/inner-knee-pain"})"));
  ASSERT_EQ(r.status, 200) << r.body;
  // The front desk records her as a patient (the phone written otherwise).
  r = sys_.Post(
      "/clinic.patients.v1.PatientService/CreatePatient",
      R"({"requestId":"p-1","patient":{"givenName":"Priya","familyName":"Raman",)"
      R"("birthDate":{"year":1988,"month":6,"day":1},"phone":"(303) 555-0171"}})",
      desk_);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string patient = Field(r.body, "name");

  // A screening of nobody is refused at the field, without an id in the
  // words.
  r = sys_.Post(
      absl::StrCat(kS, "CreateScreening"),
      absl::StrCat(R"({"requestId":"s-0","screening":{"patient":")", kNobody,
                   R"(","protocol":"screeningProtocols/)"
                   R"(inner-knee-runner"}})"),
      pt_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("there is no such patient"), std::string::npos)
      << r.body;
  // Hers links the request, which counts as screening booked.
  r = sys_.Post(
      absl::StrCat(kS, "CreateScreening"),
      absl::StrCat(R"({"requestId":"s-1","screening":{"patient":")", patient,
                   R"(","protocol":"screeningProtocols/)"
                   R"(inner-knee-runner"}})"),
      pt_);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string screening = Field(r.body, "name");
  const std::string request = Field(r.body, "contactRequest");
  ASSERT_EQ(request.rfind("contactRequests/", 0), 0u) << r.body;
  r = sys_.Post(
      absl::StrCat(kS, "CompleteScreening"),
      absl::StrCat(R"({"name":")", screening,
                   R"(","outcome":"SCREENING_OUTCOME_PT_EVALUATION"})"),
      pt_);
  ASSERT_EQ(r.status, 200) << r.body;

  // Converted: the evaluation is in the calendar and the request converted.
  const std::string start = OpenStart();
  ASSERT_FALSE(start.empty());
  r = sys_.Post(absl::StrCat(kS, "ConvertScreening"),
                Convert(screening, "convert-1", start), pt_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("state":"CONTACT_REQUEST_STATE_CONVERTED")"),
            std::string::npos)
      << r.body;
  const std::string evaluation = Field(r.body, "evaluationAppointment");
  ASSERT_EQ(evaluation.rfind("appointments/", 0), 0u) << r.body;
  HttpResponse got =
      sys_.Post(absl::StrCat(kA, "AppointmentService/GetAppointment"),
                absl::StrCat(R"({"name":")", evaluation, R"("})"), desk_);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Field(got.body, "patient"), patient);
  EXPECT_EQ(Field(got.body, "appointmentType"), type_);
  EXPECT_EQ(Field(got.body, "startTime"), start);
  // A retry answers the same; a second conversion is refused and books
  // nothing (that time is still the only booking at that start).
  r = sys_.Post(absl::StrCat(kS, "ConvertScreening"),
                Convert(screening, "convert-1", start), pt_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Field(r.body, "evaluationAppointment"), evaluation);
  r = sys_.Post(absl::StrCat(kS, "ConvertScreening"),
                Convert(screening, "convert-2", OpenStart()), pt_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("failed_precondition"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("converted already"), std::string::npos) << r.body;

  // The funnel counts the request through to conversion.
  const absl::CivilDay today =
      absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  r = sys_.Post(absl::StrCat(kS, "GetFunnelReport"),
                absl::StrCat(R"({"startDate":)", DateJson(today - 1),
                             R"(,"endDate":)", DateJson(today + 1), "}"),
                desk_);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string total = r.body.substr(r.body.find("\"total\""));
  EXPECT_NE(total.find(R"("screeningsBooked":1)"), std::string::npos) << total;
  EXPECT_NE(total.find(R"("screeningsDone":1)"), std::string::npos) << total;
  EXPECT_NE(total.find(R"("converted":1)"), std::string::npos) << total;
}

TEST_F(ScreeningFunnelTest, StaffCannotBookOrWaitlistNobody) {
  const std::string start = OpenStart();
  ASSERT_FALSE(start.empty());
  HttpResponse r = sys_.Post(
      absl::StrCat(kA, "AppointmentService/BookAppointment"),
      absl::StrCat(R"({"requestId":"b-0","appointment":{"patient":")", kNobody,
                   R"(","therapist":")", therapist_, R"(","location":")",
                   location_, R"(","appointmentType":")", type_,
                   R"(","startTime":")", start, R"("}})"),
      desk_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("there is no such patient"), std::string::npos)
      << r.body;
  absl::TimeZone denver;
  absl::LoadTimeZone("America/Denver", &denver);
  r = sys_.Post(
      absl::StrCat(kA, "AppointmentService/CreateWaitlistEntry"),
      absl::StrCat(R"({"requestId":"w-0","entry":{"patient":")", kNobody,
                   R"(","location":")", location_, R"(","appointmentType":")",
                   type_, R"(","latestDate":)",
                   DateJson(absl::ToCivilDay(absl::Now(), denver) + 10), "}}"),
      desk_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("there is no such patient"), std::string::npos)
      << r.body;
}

}  // namespace
}  // namespace clinic::integration
