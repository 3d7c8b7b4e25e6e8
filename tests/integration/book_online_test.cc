// Online booking across the services: an anonymous person lists the
// bookable types, finds openings and books (gateway -> booking ->
// patients + appointments -> PostgreSQL); retries book nothing twice; a
// time taken meanwhile is refused in the public's words.
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/common/server/caller.h"
#include "services/common/server/client.h"
#include "services/common/testing/faults.h"
#include "tests/integration/system.h"

namespace clinic::integration {
namespace {

using gateway::testing::HttpResponse;

constexpr char kA[] = "/clinic.appointments.v1.";
constexpr char kB[] = "/clinic.booking.v1.BookingService/";

std::string DateJson(absl::CivilDay d) {
  return absl::StrCat(R"({"year":)", d.year(), R"(,"month":)", d.month(),
                      R"(,"day":)", d.day(), "}");
}

int Count(const std::string& body, const std::string& needle) {
  int n = 0;
  for (size_t at = 0; (at = body.find(needle, at)) != std::string::npos; ++at) {
    ++n;
  }
  return n;
}

class BookOnlineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Many anonymous calls in a row: a generous public limit.
    sys_ = new System(gateway::RateLimit{6000, 1000});
    const auto [admin, desk] = sys_->AdminAndFrontDesk("online.example");
    desk_ = new std::string(desk);
    std::string hours;
    for (const char* day : {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY",
                            "FRIDAY", "SATURDAY", "SUNDAY"}) {
      absl::StrAppend(&hours, hours.empty() ? "" : ",", R"({"day":")", day,
                      R"(","open":{"hours":7},"close":{"hours":19}})");
    }
    HttpResponse r = sys_->Post(
        absl::StrCat(kA, "LocationService/CreateLocation"),
        absl::StrCat(R"({"location":{"displayName":"Boulder – Pearl Street",)"
                     R"("timeZone":"America/Denver","openingHours":[)",
                     hours, "]}}"),
        admin);
    ASSERT_EQ(r.status, 200) << r.body;
    location_ = new std::string(Field(r.body, "name"));
    r = sys_->Post(
        absl::StrCat(kA, "AppointmentTypeService/CreateAppointmentType"),
        R"({"appointmentType":{"displayName":"Free screening",)"
        R"("duration":"1200s","bookableOnline":true,"minNotice":"7200s",)"
        R"("maxDaysAhead":30}})",
        admin);
    ASSERT_EQ(r.status, 200) << r.body;
    type_ = new std::string(Field(r.body, "name"));
    r = sys_->Post(
        absl::StrCat(kA, "AppointmentTypeService/CreateAppointmentType"),
        R"({"appointmentType":{"displayName":"Follow-up","duration":"2700s"}})",
        admin);
    ASSERT_EQ(r.status, 200) << r.body;
    r = sys_->Post("/clinic.staff.v1.StaffService/CreateStaffMember",
                   R"({"staffMember":{"givenName":"Theo","familyName":"Rapp",)"
                   R"("email":"pt@online.example",)"
                   R"("roles":["STAFF_ROLE_THERAPIST"]}})",
                   admin);
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string pt = Field(r.body, "name");
    std::string weekly;
    for (const char* day : {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY",
                            "FRIDAY", "SATURDAY", "SUNDAY"}) {
      absl::StrAppend(&weekly, weekly.empty() ? "" : ",", R"({"location":")",
                      *location_, R"(","day":")", day,
                      R"(","start":{"hours":9},"end":{"hours":12}})");
    }
    r = sys_->Post(absl::StrCat(kA, "ScheduleService/UpdateProviderSchedule"),
                   absl::StrCat(R"({"schedule":{"name":")", pt,
                                R"(/schedule","weeklyHours":[)", weekly, "]}}"),
                   admin);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // The openings of the next week; the first one's JSON fields.
  static std::string Openings() {
    absl::TimeZone denver;
    absl::LoadTimeZone("America/Denver", &denver);
    const absl::CivilDay tomorrow = absl::ToCivilDay(absl::Now(), denver) + 1;
    HttpResponse r = sys_->Post(
        absl::StrCat(kB, "FindOpenings"),
        absl::StrCat(R"({"appointmentType":")", *type_, R"(","location":")",
                     *location_, R"(","startDate":)", DateJson(tomorrow),
                     R"(,"endDate":)", DateJson(tomorrow + 6), "}"));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  }

  static std::string Book(const std::string& rid, const std::string& email,
                          const std::string& therapist,
                          const std::string& start) {
    return absl::StrCat(
        R"({"requestId":")", rid, R"(","appointmentType":")", *type_,
        R"(","location":")", *location_, R"(","therapist":")", therapist,
        R"(","startTime":")", start,
        R"(","person":{"givenName":"Ana","familyName":"Lima",)"
        R"("birthDate":{"year":1990,"month":4,"day":2},"email":")",
        email,
        R"("},"consentToContact":true,)"
        R"("campaign":"conditions/inner-knee-pain"})");
  }

  static System* sys_;
  static std::string* desk_;
  static std::string* location_;
  static std::string* type_;
};

System* BookOnlineTest::sys_;
std::string* BookOnlineTest::desk_;
std::string* BookOnlineTest::location_;
std::string* BookOnlineTest::type_;

TEST_F(BookOnlineTest, ListsOnlyTypesBookableOnline) {
  HttpResponse r = sys_->Post(absl::StrCat(kB, "ListBookableTypes"), "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("displayName":"Free screening","minutes":20)"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(r.body.find("Follow-up"), std::string::npos) << r.body;
}

TEST_F(BookOnlineTest, BooksOnceAndRefusesATakenTimeInPlainWords) {
  const std::string openings = Openings();
  ASSERT_NE(openings.find("localStart"), std::string::npos) << openings;
  // Openings name no staff member (the therapist is an opaque reference).
  EXPECT_EQ(openings.find("Theo"), std::string::npos);
  const std::string therapist = Field(openings, "therapist");
  const std::string start = Field(openings, "startTime");
  const std::string local = Field(openings, "localStart");

  const std::string body =
      Book("online-1", "ana@example.com", therapist, start);
  HttpResponse first = sys_->Post(absl::StrCat(kB, "BookOnline"), body);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.body.find("Free screening at Boulder – Pearl Street on"),
            std::string::npos)
      << first.body;
  EXPECT_EQ(Field(first.body, "localStart"), local);
  // The same request again: the same answer, one appointment.
  HttpResponse again = sys_->Post(absl::StrCat(kB, "BookOnline"), body);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body, first.body);
  HttpResponse listed = sys_->Post(
      absl::StrCat(kA, "AppointmentService/ListAppointments"),
      absl::StrCat(
          R"({"locations":[")", *location_, R"("],"startTime":")",
          absl::FormatTime(absl::RFC3339_sec, absl::Now(), absl::UTCTimeZone()),
          R"(","endTime":")",
          absl::FormatTime(absl::RFC3339_sec,
                           absl::Now() + absl::Hours(24 * 14),
                           absl::UTCTimeZone()),
          R"("})"),
      *desk_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(Count(listed.body, "APPOINTMENT_SOURCE_ONLINE"), 1) << listed.body;

  // Someone else for the same time: refused, SLOT_TAKEN, no names or ids.
  HttpResponse taken =
      sys_->Post(absl::StrCat(kB, "BookOnline"),
                 Book("online-2", "ben@example.com", therapist, start));
  ASSERT_EQ(taken.status, 409) << taken.body;
  EXPECT_EQ(Field(taken.body, "message"),
            "That time was just taken. Please choose another time.");
  EXPECT_EQ(taken.body.find("staff/"), std::string::npos) << taken.body;
  EXPECT_EQ(taken.body.find("appointments/"), std::string::npos) << taken.body;
  EXPECT_NE(taken.body.find(R"("type":"google.rpc.ErrorInfo")"),
            std::string::npos)
      << taken.body;
  // And the opening is gone.
  EXPECT_EQ(Openings().find(absl::StrCat(R"("localStart":")", local, "\"")),
            std::string::npos);
}

// Failure injection between the booking service and the services behind
// it: whichever step fails, nothing is left that the person does not know
// of, no patient is made twice, and a retry with the same request_id
// completes the booking and then answers the same confirmation.
TEST_F(BookOnlineTest, AFailedStepLeavesNothingHalfDoneAndARetryCompletes) {
  constexpr char kBook[] =
      "/clinic.appointments.v1.AppointmentService/BookAppointment";
  constexpr char kIssue[] =
      "/clinic.appointments.v1.AppointmentService/IssueManageToken";
  constexpr char kEmail[] = "faults@example.com";
  testing::Faults& faults = sys_->booking_faults();
  const auto open = [](const std::string& local) {
    return Openings().find(absl::StrCat(R"("localStart":")", local, "\"")) !=
           std::string::npos;
  };
  const auto book = [](const std::string& body) {
    return sys_->Post(absl::StrCat(kB, "BookOnline"), body);
  };

  // 0. One lost call is retried by the channels (the request carries a
  // request_id): the person sees nothing of it.
  std::string openings = Openings();
  std::string local = Field(openings, "localStart");
  std::string body =
      Book("faults-0", "once@example.com", Field(openings, "therapist"),
           Field(openings, "startTime"));
  faults.Fail(kBook, testing::Faults::kAfter, 1);
  HttpResponse r = book(body);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(faults.failed(kBook), 1);
  EXPECT_FALSE(open(local));

  // Failures that outlast the retries (the service away for good):
  constexpr int kForGood = 1000;
  // 1. The appointments service never gets the booking: nothing is booked.
  openings = Openings();
  local = Field(openings, "localStart");
  body = Book("faults-1", kEmail, Field(openings, "therapist"),
              Field(openings, "startTime"));
  faults.Fail(kBook, testing::Faults::kBefore, kForGood);
  r = book(body);
  faults.Fail(kBook, testing::Faults::kBefore, 0);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_TRUE(open(local));
  r = book(body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(open(local));
  const std::string confirmation = r.body;
  EXPECT_EQ(book(body).body, confirmation);

  // 2. It books, but its answer is lost: the retry finds that booking.
  openings = Openings();
  local = Field(openings, "localStart");
  body = Book("faults-2", kEmail, Field(openings, "therapist"),
              Field(openings, "startTime"));
  faults.Fail(kBook, testing::Faults::kAfter, kForGood);
  r = book(body);
  faults.Fail(kBook, testing::Faults::kAfter, 0);
  EXPECT_EQ(r.status, 503) << r.body;
  r = book(body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(book(body).body, r.body);

  // 3. No manage link can be made: the booking is undone (the time is open
  // again) and the person told to try again; the retry books it again.
  openings = Openings();
  local = Field(openings, "localStart");
  body = Book("faults-3", kEmail, Field(openings, "therapist"),
              Field(openings, "startTime"));
  faults.Fail(kIssue, testing::Faults::kBefore, kForGood);
  r = book(body);
  faults.Fail(kIssue, testing::Faults::kBefore, 0);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.body.find("appointments/"), std::string::npos) << r.body;
  EXPECT_TRUE(open(local));
  r = book(body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(open(local));
  EXPECT_FALSE(Field(r.body, "manageToken").empty()) << r.body;
  EXPECT_EQ(book(body).body, r.body);
  // The booking service's channel tried each step 4 times.
  EXPECT_GE(faults.failed(kBook), 1 + 2 * 4);
  EXPECT_GE(faults.failed(kIssue), 4);

  // One patient for the three bookings; three booked appointments, and those
  // undone (one per attempt that got no manage link) cancelled.
  pqxx::connection c(sys_->conninfo());
  pqxx::nontransaction n(c);
  EXPECT_EQ(n.exec_params1("SELECT count(*) FROM patients.patients"
                           " WHERE email = $1",
                           kEmail)[0]
                .as<int>(),
            1);
  const pqxx::result states = n.exec_params(
      "SELECT a.state, count(*) FROM appointments.appointments a"
      " JOIN patients.patients p ON a.patient = 'patients/' || p.id"
      " WHERE p.email = $1 GROUP BY a.state ORDER BY a.state",
      kEmail);
  ASSERT_EQ(states.size(), 2u);
  EXPECT_EQ(states[0][1].as<int>(), 3);  // booked
  EXPECT_GE(states[1][1].as<int>(), 1);  // cancelled: the undone ones
}

TEST_F(BookOnlineTest, TheManageLinkShowsMovesAndCancelsOnlyItsBooking) {
  std::string openings = Openings();
  HttpResponse booked = sys_->Post(
      absl::StrCat(kB, "BookOnline"),
      Book("online-m1", "cleo@example.com", Field(openings, "therapist"),
           Field(openings, "startTime")));
  ASSERT_EQ(booked.status, 200) << booked.body;
  const std::string token = Field(booked.body, "manageToken");
  ASSERT_EQ(token.size(), 43u) << booked.body;
  auto call = [&](const char* method, const std::string& json) {
    return sys_->Post(absl::StrCat(kB, method), json);
  };
  HttpResponse shown = call("GetManagedAppointment",
                            absl::StrCat(R"({"token":")", token, R"("})"));
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_NE(shown.body.find(R"("changeable":true)"), std::string::npos)
      << shown.body;
  // Nothing about the patient beyond the appointment.
  EXPECT_EQ(shown.body.find("cleo"), std::string::npos) << shown.body;
  EXPECT_EQ(shown.body.find("patients/"), std::string::npos) << shown.body;

  // Move it to another opening.
  openings = Openings();
  const size_t second =
      openings.find("localStart", openings.find("localStart") + 1);
  ASSERT_NE(second, std::string::npos) << openings;
  const std::string rest = openings.substr(second - 40);
  HttpResponse moved = call(
      "RescheduleManagedAppointment",
      absl::StrCat(R"({"token":")", token, R"(","therapist":")",
                   Field(rest, "therapist"), R"(","startTime":")",
                   Field(rest, "startTime"), R"(","requestId":"move-1"})"));
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(Field(moved.body, "localStart"), Field(rest, "localStart"));

  // Cancel it; again answers the same.
  HttpResponse cancelled = call("CancelManagedAppointment",
                                absl::StrCat(R"({"token":")", token, R"("})"));
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_NE(cancelled.body.find(R"("cancelled":true)"), std::string::npos);
  EXPECT_EQ(call("CancelManagedAppointment",
                 absl::StrCat(R"({"token":")", token, R"("})"))
                .body,
            cancelled.body);

  // Guessed and malformed tokens: one answer, and no success in many.
  std::string guessed = token;
  guessed[10] = guessed[10] == 'x' ? 'y' : 'x';
  HttpResponse a = call("GetManagedAppointment",
                        absl::StrCat(R"({"token":")", guessed, R"("})"));
  HttpResponse b = call("GetManagedAppointment", R"({"token":"nope"})");
  EXPECT_EQ(a.status, 404);
  EXPECT_EQ(Field(a.body, "message"), Field(b.body, "message"));
  EXPECT_EQ(Field(a.body, "message"),
            "This link does not open an appointment (any more).");
}

TEST_F(BookOnlineTest, NoRandomTokenOpensAnything) {
  // Straight to the appointments service (the gateway would rate-limit a
  // guesser long before): 2,000 random tokens, none resolves.
  auto stub = appointments::v1::AppointmentService::NewStub(
      server::NewChannel(absl::StrCat("127.0.0.1:", sys_->scheduling_port())));
  server::CallerVerifier verifier(kSecret);
  std::mt19937_64 rng(7);
  const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  int opened = 0;
  for (int i = 0; i < 2000; ++i) {
    appointments::v1::ResolveManageTokenRequest r;
    std::string token;
    for (int c = 0; c < 43; ++c) token += alphabet[rng() % alphabet.size()];
    r.set_token(token);
    appointments::v1::ResolveManageTokenResponse out;
    auto ctx = server::NewCallContext(absl::Seconds(5));
    verifier.Forward(server::Caller{}, *ctx);
    if (stub->ResolveManageToken(ctx.get(), r, &out).ok()) ++opened;
  }
  EXPECT_EQ(opened, 0);
}

TEST_F(BookOnlineTest, AtMostThreeUpcomingOnlineBookingsPerPerson) {
  std::string openings = Openings();
  std::vector<std::pair<std::string, std::string>> times;  // therapist, start
  size_t at = 0;
  // Every fourth opening: an hour apart, so none overlaps the others.
  for (int i = 0; i < 16; ++i) {
    at = openings.find("{\"startTime\"", at);
    ASSERT_NE(at, std::string::npos) << openings;
    const std::string one = openings.substr(at, 200);
    if (i % 4 == 0) {
      times.push_back({Field(one, "therapist"), Field(one, "startTime")});
    }
    at += 10;
  }
  for (int i = 0; i < 3; ++i) {
    HttpResponse r =
        sys_->Post(absl::StrCat(kB, "BookOnline"),
                   Book(absl::StrCat("many-", i), "dana@example.com",
                        times[i].first, times[i].second));
    ASSERT_EQ(r.status, 200) << i << r.body;
  }
  // A retry of the third still answers.
  EXPECT_EQ(sys_->Post(absl::StrCat(kB, "BookOnline"),
                       Book("many-2", "dana@example.com", times[2].first,
                            times[2].second))
                .status,
            200);
  HttpResponse fourth = sys_->Post(
      absl::StrCat(kB, "BookOnline"),
      Book("many-3", "dana@example.com", times[3].first, times[3].second));
  EXPECT_EQ(fourth.status, 400) << fourth.body;
  EXPECT_NE(fourth.body.find("Please call us to book another"),
            std::string::npos)
      << fourth.body;
}

TEST_F(BookOnlineTest, RefusalsNameThePublicFields) {
  HttpResponse r = sys_->Post(
      absl::StrCat(kB, "BookOnline"),
      absl::StrCat(R"({"requestId":"bad-1","appointmentType":")", *type_,
                   R"(","location":")", *location_, R"("})"));
  ASSERT_EQ(r.status, 400) << r.body;
  for (const char* field :
       {"therapist: ", "start_time: ", "person: ", "consent_to_contact: "}) {
    EXPECT_NE(r.body.find(field), std::string::npos) << field << r.body;
  }
  const std::string openings = Openings();
  r = sys_->Post(
      absl::StrCat(kB, "BookOnline"),
      absl::StrCat(R"({"requestId":"bad-2","appointmentType":")", *type_,
                   R"(","location":")", *location_, R"(","therapist":")",
                   Field(openings, "therapist"), R"(","startTime":")",
                   Field(openings, "startTime"),
                   R"(","person":{"givenName":"Ana","email":"nope"},)"
                   R"("consentToContact":true})"));
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("person.family_name: "), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("person.birth_date: "), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("person.email: "), std::string::npos) << r.body;
  // An online search of a type not bookable online is refused.
  r = sys_->Post(absl::StrCat(kB, "FindOpenings"), "{}");
  EXPECT_EQ(r.status, 400) << r.body;
}

}  // namespace
}  // namespace clinic::integration
