// Plans of care across the services, through the gateway: a plan from a
// template, its visit series booked in the real calendar (gateway -> plans
// -> appointments -> PostgreSQL) around time off and another patient's
// appointment and across a daylight-saving change, retries that book
// nothing twice, refusals naming every field, what the front desk sees, and
// a caseload of 200 plans in one call.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/system.h"

namespace clinic::integration {
namespace {

using gateway::testing::HttpResponse;

constexpr char kA[] = "/clinic.appointments.v1.";
constexpr char kP[] = "/clinic.therapy_plans.v1.TherapyPlanService/";

int Count(const std::string& body, const std::string& needle) {
  int n = 0;
  for (size_t at = 0; (at = body.find(needle, at)) != std::string::npos; ++at) {
    ++n;
  }
  return n;
}

class TherapyPlansTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto [admin, desk] = sys_.AdminAndFrontDesk("plans.example");
    admin_ = admin;
    desk_ = desk;
    // Mondays to Fridays, with time off on Monday 8 March 2027.
    const System::Practice p = sys_.MakePractice(
        admin_, "pt@plans.example",
        R"({"displayName":"Follow-up","duration":"2700s","bufferAfter":"900s"})",
        {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"},
        R"([{"kind":"KIND_TIME_OFF","date":{"year":2027,"month":3,"day":8},)"
        R"("reason":"Course"}])");
    therapist_ = p.therapist;
    location_ = p.location;
    type_ = p.type;
    pt_password_ = p.therapist_password;
    pt_ = sys_.Login("pt@plans.example", pt_password_);
    patient_ = NewPatient("Maya", "Okafor", "(303) 555-0141");
  }

  void TearDown() override { g_offset_seconds = 0; }

  std::string NewPatient(const std::string& given, const std::string& family,
                         const std::string& phone) {
    HttpResponse r = sys_.Post(
        "/clinic.patients.v1.PatientService/CreatePatient",
        absl::StrCat(R"({"requestId":")", given, family, R"(","patient":{)",
                     R"("givenName":")", given, R"(","familyName":")", family,
                     R"(","birthDate":{"year":1988,"month":6,"day":1},)",
                     R"("phone":")", phone, R"("}})"),
        desk_);
    EXPECT_EQ(r.status, 200) << r.body;
    return Field(r.body, "name");
  }

  // A plan from the pes anserine template starting Monday 22 February 2027,
  // activated.
  std::string ActivePlan(const std::string& patient, const std::string& rid) {
    HttpResponse r = sys_.Post(
        absl::StrCat(kP, "CreateTherapyPlan"),
        absl::StrCat(R"({"requestId":")", rid, R"(","template":)",
                     R"("planTemplates/pes-anserine-bursitis","plan":{)",
                     R"("patient":")", patient,
                     R"(","startDate":{"year":2027,"month":2,"day":22}}})"),
        pt_);
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string plan = Field(r.body, "name");
    r = sys_.Post(
        absl::StrCat(kP, "ChangeTherapyPlanState"),
        absl::StrCat(R"({"name":")", plan, R"(","state":"PLAN_STATE_ACTIVE"})"),
        pt_);
    EXPECT_EQ(r.status, 200) << r.body;
    return plan;
  }

  std::string Series(const std::string& plan, const std::string& rid,
                     bool preview) {
    return absl::StrCat(
        R"({"name":")", plan, R"(","location":")", location_,
        R"(","appointmentType":")", type_,
        R"(","weekdays":["MONDAY","THURSDAY"],"timeOfDay":{"hours":9},)"
        R"("firstDate":{"year":2027,"month":2,"day":22},"preview":)",
        preview ? "true" : "false", R"(,"requestId":")", rid, R"("})");
  }

  System sys_;
  std::string admin_, desk_, pt_, pt_password_, therapist_, location_, type_,
      patient_;
};

TEST_F(TherapyPlansTest, ASeriesAroundTimeOffAndBookingsAcrossDaylightSaving) {
  const std::string plan = ActivePlan(patient_, "plan-1");
  // Another patient has Thursday 25 February at 9:00 with this therapist.
  const std::string other = NewPatient("Tom", "Becker", "(303) 555-0144");
  HttpResponse r = sys_.Post(
      absl::StrCat(kA, "AppointmentService/BookAppointment"),
      absl::StrCat(R"({"requestId":"other","appointment":{"patient":")", other,
                   R"(","therapist":")", therapist_, R"(","location":")",
                   location_, R"(","appointmentType":")", type_,
                   R"(","startTime":"2027-02-25T16:00:00Z"}})"),
      desk_);
  ASSERT_EQ(r.status, 200) << r.body;

  HttpResponse preview = sys_.Post(absl::StrCat(kP, "ScheduleVisitSeries"),
                                   Series(plan, "", true), pt_);
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(Count(preview.body, "\"localStart\""), 12) << preview.body;
  EXPECT_EQ(Count(preview.body, "\"appointment\""), 0);

  HttpResponse booked = sys_.Post(absl::StrCat(kP, "ScheduleVisitSeries"),
                                  Series(plan, "series-1", false), pt_);
  ASSERT_EQ(booked.status, 200) << booked.body;
  // 2 a week for 6 weeks; Thursday 25 Feb moves to the nearest open time
  // and Monday 8 March (time off) to another day that week.
  EXPECT_EQ(Count(booked.body, "\"appointment\":\"appointments/"), 12)
      << booked.body;
  EXPECT_EQ(Count(booked.body, "\"preferred\":true"), 10) << booked.body;
  EXPECT_EQ(booked.body.find("2027-03-08T"), std::string::npos);
  EXPECT_EQ(booked.body.find("2027-02-25T09:00"), std::string::npos);
  // Preferred visits keep 9:00 local on both sides of 14 March: 16:00 UTC
  // before, 15:00 UTC after.
  EXPECT_NE(booked.body.find(R"("startTime":"2027-03-04T16:00:00Z")"),
            std::string::npos)
      << booked.body;
  EXPECT_NE(booked.body.find(R"("startTime":"2027-03-15T15:00:00Z")"),
            std::string::npos)
      << booked.body;
  EXPECT_NE(booked.body.find(R"("localStart":"2027-03-15T09:00")"),
            std::string::npos);
  // Visits numbered 1 to 12; the 10th carries the progress note. (The
  // certification period runs 90 days, past the plan's 6 weeks: no
  // re-evaluation falls within the series.)
  EXPECT_NE(booked.body.find(R"("visitNumber":12)"), std::string::npos);
  EXPECT_EQ(Count(booked.body, "VISIT_PURPOSE_PROGRESS_NOTE"), 1)
      << booked.body;
  EXPECT_EQ(Count(booked.body, "VISIT_PURPOSE_RE_EVALUATION"), 0);

  // The same request again: the same answer. Another request: nothing new.
  HttpResponse again = sys_.Post(absl::StrCat(kP, "ScheduleVisitSeries"),
                                 Series(plan, "series-1", false), pt_);
  EXPECT_EQ(again.body, booked.body);
  HttpResponse second = sys_.Post(absl::StrCat(kP, "ScheduleVisitSeries"),
                                  Series(plan, "series-2", false), pt_);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Count(second.body, "\"appointment\":\"appointments/"), 0);
  HttpResponse listed =
      sys_.Post(absl::StrCat(kA, "AppointmentService/ListAppointments"),
                absl::StrCat(R"({"patient":")", patient_, R"("})"), desk_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(Count(listed.body, "APPOINTMENT_SOURCE_THERAPY_PLAN"), 12);

  // The plan counts them; the front desk sees counts, not goals.
  HttpResponse got =
      sys_.Post(absl::StrCat(kP, "GetTherapyPlan"),
                absl::StrCat(R"({"name":")", plan, R"("})"), desk_);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_NE(got.body.find(R"("upcoming":12)"), std::string::npos) << got.body;
  EXPECT_NE(got.body.find(R"("planned":12)"), std::string::npos);
  EXPECT_EQ(got.body.find("\"goals\""), std::string::npos) << got.body;
  got = sys_.Post(absl::StrCat(kP, "GetTherapyPlan"),
                  absl::StrCat(R"({"name":")", plan, R"("})"), pt_);
  EXPECT_NE(got.body.find("Run 5 km on hills"), std::string::npos);
  // The caseload: one patient, 12 upcoming.
  HttpResponse caseload = sys_.Post(absl::StrCat(kP, "GetCaseload"), "{}", pt_);
  ASSERT_EQ(caseload.status, 200) << caseload.body;
  EXPECT_EQ(Count(caseload.body, "\"plan\":"), 1);
}

// A certification period that ends within the plan's weeks: the series
// stops there and its last visit in the 14 days before carries the
// re-evaluation.
TEST_F(TherapyPlansTest, TheReEvaluationIsPlacedBeforeTheCertificationEnds) {
  HttpResponse r = sys_.Post(
      absl::StrCat(kP, "CreateTherapyPlan"),
      absl::StrCat(R"({"requestId":"cert","template":)",
                   R"("planTemplates/pes-anserine-bursitis","plan":{)",
                   R"("patient":")", patient_,
                   R"(","startDate":{"year":2027,"month":2,"day":22},)",
                   R"("certificationEnd":{"year":2027,"month":3,"day":19}}})"),
      pt_);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string plan = Field(r.body, "name");
  r = sys_.Post(
      absl::StrCat(kP, "ChangeTherapyPlanState"),
      absl::StrCat(R"({"name":")", plan, R"(","state":"PLAN_STATE_ACTIVE"})"),
      pt_);
  ASSERT_EQ(r.status, 200) << r.body;
  HttpResponse preview = sys_.Post(absl::StrCat(kP, "ScheduleVisitSeries"),
                                   Series(plan, "", true), pt_);
  ASSERT_EQ(preview.status, 200) << preview.body;
  // Mondays and Thursdays from 22 February to 18 March (8 March is time
  // off, moved within its week): 8 visits, the last on 18 March.
  EXPECT_EQ(Count(preview.body, "\"localStart\""), 8) << preview.body;
  EXPECT_EQ(Count(preview.body, "VISIT_PURPOSE_RE_EVALUATION"), 1);
  const size_t re = preview.body.find("VISIT_PURPOSE_RE_EVALUATION");
  const size_t last = preview.body.rfind("\"localStart\"");
  EXPECT_LT(last, re) << "the re-evaluation is the last visit";
}

TEST_F(TherapyPlansTest, BadPlansAreRefusedNamingEveryField) {
  HttpResponse r = sys_.Post(
      absl::StrCat(kP, "CreateTherapyPlan"),
      absl::StrCat(
          R"({"requestId":"bad","plan":{"patient":")", patient_,
          R"(","condition":"Knee","startDate":{"year":2027,"month":2,"day":22},)"
          R"("visitsPerWeek":0,"durationWeeks":60,"goals":[{"description":"Run",)"
          R"("targetDate":{"year":2027,"month":1,"day":1}}]}})"),
      pt_);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("plan.visits_per_week: 1 to 7 visits a week"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("plan.duration_weeks"), std::string::npos);
  EXPECT_NE(r.body.find("plan.goals[0].target_date"), std::string::npos);
  // A plan without goals cannot be activated; a completed one not edited.
  r = sys_.Post(
      absl::StrCat(kP, "CreateTherapyPlan"),
      absl::StrCat(R"({"requestId":"nogoal","plan":{"patient":")", patient_,
                   R"(","condition":"Knee","visitsPerWeek":2,)"
                   R"("durationWeeks":4,)"
                   R"("startDate":{"year":2027,"month":2,"day":22}}})"),
      pt_);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string plan = Field(r.body, "name");
  r = sys_.Post(
      absl::StrCat(kP, "ChangeTherapyPlanState"),
      absl::StrCat(R"({"name":")", plan, R"(","state":"PLAN_STATE_ACTIVE"})"),
      pt_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("at least one goal"), std::string::npos) << r.body;
  // The front desk cannot write plans.
  r = sys_.Post(
      absl::StrCat(kP, "ChangeTherapyPlanState"),
      absl::StrCat(R"({"name":")", plan, R"(","state":"PLAN_STATE_ACTIVE"})"),
      desk_);
  EXPECT_EQ(r.status, 403) << r.body;
}

TEST_F(TherapyPlansTest, ACaseloadOfTwoHundredPlansInOneCall) {
  for (int i = 0; i < 200; ++i) {
    const std::string p = NewPatient("Case", absl::StrCat("Patient", i),
                                     absl::StrCat("(303) 555-", 1000 + i));
    ActivePlan(p, absl::StrCat("bulk-", i));
  }
  std::vector<double> ms;
  std::string body;
  for (int i = 0; i < 20; ++i) {
    const absl::Time t0 = absl::Now();
    HttpResponse r = sys_.Post(absl::StrCat(kP, "GetCaseload"), "{}", pt_);
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    ASSERT_EQ(r.status, 200) << r.body;
    body = r.body;
  }
  EXPECT_EQ(Count(body, "\"plan\":"), 200);
  // Every plan has no visit booked: the most urgent alert first.
  EXPECT_NE(body.find("No future visit is booked"), std::string::npos);
  std::sort(ms.begin(), ms.end());
  std::cout << "GetCaseload through the gateway, 200 active plans: median "
            << ms[ms.size() / 2] << " ms, p99 (max of 20) " << ms.back()
            << " ms\n";
}

}  // namespace
}  // namespace clinic::integration
