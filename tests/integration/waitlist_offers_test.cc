// Waitlist offers, calendar feeds and messages in a location's language,
// across the services: a cancellation offers the freed time to the best
// waitlist entry, holding it for them; the offer's email carries a link
// that books it in one click (twice is the same booking; nobody else can
// take the held time); a lapsed offer passes to the next entry; a
// therapist's feed URL serves their calendar without patient names until
// it is revoked.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "services/common/server/client.h"
#include "services/gateway/test_http_client.h"
#include "services/notifications/worker.h"
#include "tests/integration/system.h"

namespace clinic::integration {
namespace {

using gateway::testing::HttpResponse;

constexpr char kA[] = "/clinic.appointments.v1.AppointmentService/";
constexpr char kB[] = "/clinic.booking.v1.BookingService/";
constexpr char kN[] = "/clinic.notifications.v1.NotificationService/";

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

class WaitlistOffersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_offset_seconds = 0;
    const auto [admin, desk] = sys_.AdminAndFrontDesk("offers.example");
    admin_ = admin;
    desk_ = desk;
    practice_ =
        sys_.MakePractice(admin, "pt@offers.example",
                          R"({"displayName":"Follow-up","duration":"2700s"})");
    maya_ = Patient("maya", "Maya", "Okafor");
    ben_ = Patient("ben", "Ben", "Alvarez");
    cleo_ = Patient("cleo", "Cleo", "Nakamura");
    notifications::WorkerOptions o;
    o.now = Now;
    o.public_base_url = "https://clinic.example";
    worker_ = std::make_unique<notifications::Worker>(
        sys_.message_store(), server::NewChannel(sys_.scheduling_target()),
        server::NewChannel(sys_.people_target()), &sys_.verifier(), o);
  }
  void TearDown() override { g_offset_seconds = 0; }

  std::string Patient(const std::string& rid, const std::string& given,
                      const std::string& family) {
    HttpResponse r = sys_.Post(
        "/clinic.patients.v1.PatientService/CreatePatient",
        absl::StrCat(R"({"requestId":")", rid, R"(","patient":{"givenName":")",
                     given, R"(","familyName":")", family,
                     R"(","birthDate":{"year":1980,"month":3,"day":4},)"
                     R"("email":")",
                     rid, R"(@example.com"}})"),
        desk_);
    EXPECT_EQ(r.status, 200) << r.body;
    return Field(r.body, "name");
  }

  // Sets one field of the practice's location or appointment type as the
  // admin: `service` "LocationService" or "AppointmentTypeService", `kind`
  // "Location" or "AppointmentType" (Get<kind>/Update<kind>), `object` its
  // JSON name, `field` the JSON field, `value` its JSON value, `mask` the
  // update mask. The etag is read afresh each time.
  HttpResponse Update(const std::string& service, const std::string& kind,
                      const std::string& object, const std::string& name,
                      const std::string& field, const std::string& value,
                      const std::string& mask) {
    const std::string prefix =
        absl::StrCat("/clinic.appointments.v1.", service, "/");
    HttpResponse got =
        sys_.Post(absl::StrCat(prefix, "Get", kind),
                  absl::StrCat(R"({"name":")", name, R"("})"), admin_);
    EXPECT_EQ(got.status, 200) << got.body;
    return sys_.Post(
        absl::StrCat(prefix, "Update", kind),
        absl::StrCat(R"({")", object, R"(":{"name":")", name, R"(","etag":")",
                     Field(got.body, "etag"), R"(",")", field, R"(":)", value,
                     R"(},"updateMask":")", mask, R"("})"),
        admin_);
  }

  // Books `patient` at 9:00 (Denver) 3 days ahead.
  HttpResponse Book(const std::string& patient, const std::string& rid) {
    absl::TimeZone denver;
    absl::LoadTimeZone("America/Denver", &denver);
    const absl::CivilDay day = absl::ToCivilDay(Now(), denver) + 3;
    start_ = absl::FromCivil(
        absl::CivilSecond(day.year(), day.month(), day.day(), 9, 0, 0), denver);
    day_ = day;
    return sys_.Post(
        absl::StrCat(kA, "BookAppointment"),
        absl::StrCat(
            R"({"requestId":")", rid, R"(","appointment":{"patient":")",
            patient, R"(","therapist":")", practice_.therapist,
            R"(","location":")", practice_.location, R"(","appointmentType":")",
            practice_.type, R"(","startTime":")",
            absl::FormatTime(absl::RFC3339_sec, start_, absl::UTCTimeZone()),
            R"("}})"),
        desk_);
  }

  void Waitlist(const std::string& patient, int priority) {
    HttpResponse r = sys_.Post(
        absl::StrCat(kA, "CreateWaitlistEntry"),
        absl::StrCat(R"({"entry":{"patient":")", patient, R"(","location":")",
                     practice_.location, R"(","appointmentType":")",
                     practice_.type, R"(","latestDate":{"year":)",
                     static_cast<int>(day_.year()) + 1,
                     R"(,"month":1,"day":1},"priority":)", priority, "}}"),
        desk_);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  HttpResponse Cancel(const std::string& appointment) {
    return sys_.Post(absl::StrCat(kA, "CancelAppointment"),
                     absl::StrCat(R"({"name":")", appointment,
                                  R"(","reason":"Patient called"})"),
                     desk_);
  }

  std::string Offers() {
    HttpResponse r = sys_.Post(
        absl::StrCat(kA, "ListWaitlistOffers"),
        absl::StrCat(R"({"location":")", practice_.location, R"("})"), desk_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.body;
  }

  // The token in the newest offer message to `patient`.
  std::string OfferToken(const std::string& patient) {
    HttpResponse r =
        sys_.Post(absl::StrCat(kN, "ListMessages"),
                  absl::StrCat(R"({"patient":")", patient, R"("})"), desk_);
    const std::string marker = "/offer.html?t=";
    const size_t at = r.body.find(marker);
    if (at == std::string::npos) return "";
    return r.body.substr(at + marker.size(), 43);
  }

  HttpResponse Public(const std::string& method, const std::string& token) {
    return sys_.Post(absl::StrCat(kB, method),
                     absl::StrCat(R"({"token":")", token, R"("})"));
  }

  System sys_{gateway::RateLimit{1000, 1000}};
  std::string admin_, desk_, maya_, ben_, cleo_;
  System::Practice practice_;
  absl::Time start_;
  absl::CivilDay day_;
  std::unique_ptr<notifications::Worker> worker_;
};

TEST_F(WaitlistOffersTest, ACancellationOffersTheTimeAndTheLinkBooksItOnce) {
  HttpResponse booked = Book(maya_, "maya-1");
  ASSERT_EQ(booked.status, 200) << booked.body;
  Waitlist(ben_, 10);
  Waitlist(cleo_, 50);  // higher priority: offered first
  ASSERT_EQ(Cancel(Field(booked.body, "name")).status, 200);
  std::string offers = Offers();
  EXPECT_EQ(Count(offers, R"("state":"OFFERED")"), 1) << offers;
  EXPECT_NE(offers.find(cleo_), std::string::npos) << offers;

  // The offer's email: one message, with the link.
  ASSERT_GE(*worker_->Consume(), 2);  // booked, cancelled, offered
  const std::string token = OfferToken(cleo_);
  ASSERT_EQ(token.size(), 43u);
  HttpResponse msgs =
      sys_.Post(absl::StrCat(kN, "ListMessages"),
                absl::StrCat(R"({"patient":")", cleo_, R"("})"), desk_);
  EXPECT_EQ(Count(msgs.body, R"("kind":"WAITLIST_OFFER")"), 1) << msgs.body;
  EXPECT_NE(msgs.body.find("We are holding it for you until"),
            std::string::npos);

  // Nobody else gets the held time.
  HttpResponse other = Book(ben_, "ben-takes");
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_NE(other.body.find("the time is held for them"), std::string::npos)
      << other.body;

  // Opening the link books nothing; it says what is held.
  HttpResponse view = Public("GetOffer", token);
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_NE(view.body.find(R"("state":"OPEN")"), std::string::npos);
  EXPECT_NE(view.body.find("Follow-up at Denver"), std::string::npos)
      << view.body;

  // Two clicks at once: one booking, the same answer to both.
  std::vector<HttpResponse> answers(2);
  std::vector<std::thread> clicks;
  for (int i = 0; i < 2; ++i) {
    clicks.emplace_back([&, i] { answers[i] = Public("AcceptOffer", token); });
  }
  for (std::thread& t : clicks) t.join();
  for (const HttpResponse& a : answers) {
    ASSERT_EQ(a.status, 200) << a.body;
    EXPECT_EQ(Field(a.body, "confirmation"),
              Field(answers[0].body, "confirmation"));
    EXPECT_EQ(Field(a.body, "manageToken").size(), 43u);
  }
  HttpResponse mine =
      sys_.Post(absl::StrCat(kA, "ListAppointments"),
                absl::StrCat(R"({"patient":")", cleo_, R"("})"), desk_);
  EXPECT_EQ(Count(mine.body, R"("name":"appointments/)"), 1) << mine.body;
  EXPECT_NE(mine.body.find("APPOINTMENT_SOURCE_WAITLIST_OFFER"),
            std::string::npos);
  offers = Offers();
  EXPECT_NE(offers.find(R"("state":"ACCEPTED")"), std::string::npos) << offers;
  EXPECT_EQ(Public("GetOffer", token).body.find(R"("state":"TAKEN")") !=
                std::string::npos,
            true);
  // Cleo's waitlist entry is done; Ben's stays.
  HttpResponse entries =
      sys_.Post(absl::StrCat(kA, "ListWaitlistEntries"), "{}", desk_);
  EXPECT_EQ(entries.body.find(cleo_), std::string::npos) << entries.body;
  EXPECT_NE(entries.body.find(ben_), std::string::npos);
  // Her confirmation carries a manage link.
  ASSERT_GE(*worker_->Consume(), 1);
  msgs = sys_.Post(absl::StrCat(kN, "ListMessages"),
                   absl::StrCat(R"({"patient":")", cleo_, R"("})"), desk_);
  EXPECT_EQ(Count(msgs.body, R"("kind":"CONFIRMATION")"), 1) << msgs.body;
  EXPECT_NE(msgs.body.find("https://clinic.example/manage.html?t="),
            std::string::npos);

  // Tokens that open nothing: one answer.
  for (const std::string& bad :
       {std::string("x"), std::string(43, 'A'), token.substr(0, 42) + "B"}) {
    HttpResponse r = Public("AcceptOffer", bad);
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_NE(r.body.find("This link does not open an offer"),
              std::string::npos);
  }
}

TEST_F(WaitlistOffersTest, ALapsedOfferPassesToTheNextEntry) {
  HttpResponse booked = Book(maya_, "maya-2");
  ASSERT_EQ(booked.status, 200) << booked.body;
  Waitlist(cleo_, 50);
  Waitlist(ben_, 10);
  ASSERT_EQ(Cancel(Field(booked.body, "name")).status, 200);
  ASSERT_GE(*worker_->Consume(), 3);
  const std::string first = OfferToken(cleo_);
  ASSERT_EQ(first.size(), 43u);
  // Nothing happens while the hold lasts.
  EXPECT_EQ(*sys_.appointments().AdvanceWaitlistOffers(), 0);
  // Past the hold (2 hours, from 8:00 when offered at night).
  absl::Time expire;
  std::string error;
  ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, Field(Offers(), "expireTime"),
                              &expire, &error))
      << error;
  EXPECT_LE(expire - absl::Now(), absl::Hours(10));
  g_offset_seconds = absl::ToInt64Seconds(expire - absl::Now()) + 60;
  EXPECT_EQ(*sys_.appointments().AdvanceWaitlistOffers(), 1);
  EXPECT_EQ(*sys_.appointments().AdvanceWaitlistOffers(), 0);
  const std::string offers = Offers();
  EXPECT_EQ(Count(offers, R"("state":"LAPSED")"), 1) << offers;
  EXPECT_EQ(Count(offers, R"("state":"OFFERED")"), 1) << offers;
  // Too late for Cleo, and her link says so.
  HttpResponse late = Public("AcceptOffer", first);
  EXPECT_EQ(late.status, 400) << late.body;
  EXPECT_NE(late.body.find("offered to the next person"), std::string::npos);
  // Ben's offer books.
  ASSERT_GE(*worker_->Consume(), 1);
  const std::string second = OfferToken(ben_);
  ASSERT_EQ(second.size(), 43u);
  HttpResponse taken = Public("AcceptOffer", second);
  ASSERT_EQ(taken.status, 200) << taken.body;
  HttpResponse bens =
      sys_.Post(absl::StrCat(kA, "ListAppointments"),
                absl::StrCat(R"({"patient":")", ben_, R"("})"), desk_);
  EXPECT_EQ(Count(bens.body, R"("name":"appointments/)"), 1) << bens.body;
}

TEST_F(WaitlistOffersTest, AFreedTimeWithNobodyWaitingIsSimplyFree) {
  HttpResponse booked = Book(maya_, "maya-3");
  ASSERT_EQ(booked.status, 200) << booked.body;
  ASSERT_EQ(Cancel(Field(booked.body, "name")).status, 200);
  EXPECT_EQ(Count(Offers(), R"("state")"), 0);
  EXPECT_EQ(Book(ben_, "ben-free").status, 200);
}

TEST_F(WaitlistOffersTest, ATherapistsFeedServesTheirCalendarUntilRevoked) {
  ASSERT_EQ(Book(maya_, "maya-feed").status, 200);
  const std::string pt =
      sys_.Login("pt@offers.example", practice_.therapist_password);
  const std::string mine =
      absl::StrCat(R"({"therapist":")", practice_.therapist, R"("})");
  // Front desk may not; a therapist for someone else may not.
  EXPECT_EQ(
      sys_.Post(absl::StrCat(kN, "CreateCalendarFeed"), mine, desk_).status,
      403);
  HttpResponse other = sys_.Post(
      absl::StrCat(kN, "CreateCalendarFeed"),
      R"({"therapist":"staff/00000000-0000-4000-8000-000000000000"})", pt);
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(sys_.Post(absl::StrCat(kN, "GetCalendarFeed"), mine, pt).status,
            404);

  HttpResponse made =
      sys_.Post(absl::StrCat(kN, "CreateCalendarFeed"), mine, pt);
  ASSERT_EQ(made.status, 200) << made.body;
  const std::string url = Field(made.body, "url");
  ASSERT_TRUE(absl::StartsWith(url, "http://clinic.test/feeds/")) << url;
  const std::string path = url.substr(std::string("http://clinic.test").size());
  gateway::testing::HttpRequest get;
  get.target = path;
  HttpResponse feed = gateway::testing::Fetch(sys_.gateway_port(), get);
  ASSERT_EQ(feed.status, 200) << feed.body;
  EXPECT_EQ(feed.Header("content-type"), "text/calendar; charset=utf-8");
  EXPECT_NE(feed.body.find("BEGIN:VCALENDAR\r\n"), std::string::npos);
  EXPECT_EQ(Count(feed.body, "BEGIN:VEVENT"), 1) << feed.body;
  EXPECT_NE(feed.body.find(absl::FormatTime("DTSTART:%Y%m%dT%H%M%SZ", start_,
                                            absl::UTCTimeZone())),
            std::string::npos)
      << feed.body;
  EXPECT_NE(feed.body.find("SUMMARY:Follow-up"), std::string::npos);
  EXPECT_EQ(feed.body.find("Okafor"), std::string::npos) << feed.body;
  HttpResponse status =
      sys_.Post(absl::StrCat(kN, "GetCalendarFeed"), mine, pt);
  EXPECT_NE(status.body.find("lastReadTime"), std::string::npos) << status.body;
  EXPECT_EQ(Field(status.body, "url"), "");  // shown once

  // A new link retires the old; turning it off retires every link.
  HttpResponse again =
      sys_.Post(absl::StrCat(kN, "CreateCalendarFeed"), mine, pt);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(gateway::testing::Fetch(sys_.gateway_port(), get).status, 404);
  get.target =
      Field(again.body, "url").substr(std::string("http://clinic.test").size());
  EXPECT_EQ(gateway::testing::Fetch(sys_.gateway_port(), get).status, 200);
  ASSERT_EQ(sys_.Post(absl::StrCat(kN, "RevokeCalendarFeed"), mine, pt).status,
            200);
  HttpResponse gone = gateway::testing::Fetch(sys_.gateway_port(), get);
  EXPECT_EQ(gone.status, 404);
  EXPECT_NE(gone.body.find("does not work"), std::string::npos);
  get.target = "/feeds/../../etc/passwd.ics";
  EXPECT_EQ(gateway::testing::Fetch(sys_.gateway_port(), get).status, 404);
}

TEST_F(WaitlistOffersTest, MessagesAreInTheLocationsLanguage) {
  auto update = [&](const std::string& language) {
    return Update("LocationService", "Location", "location", practice_.location,
                  "language", absl::StrCat("\"", language, "\""), "language");
  };
  HttpResponse bad = update("fr");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("location.language"), std::string::npos);
  HttpResponse es = update("es");
  ASSERT_EQ(es.status, 200) << es.body;
  ASSERT_EQ(Book(maya_, "maya-es").status, 200);
  ASSERT_EQ(*worker_->Consume(), 1);
  HttpResponse msgs =
      sys_.Post(absl::StrCat(kN, "ListMessages"),
                absl::StrCat(R"({"patient":")", maya_, R"("})"), desk_);
  EXPECT_NE(msgs.body.find(R"("subject":"Su Follow-up en Denver)"),
            std::string::npos)
      << msgs.body;
  EXPECT_NE(msgs.body.find(" a las 9:00 (M"), std::string::npos) << msgs.body;
  EXPECT_NE(msgs.body.find("Hola Maya"), std::string::npos);
}

// A type's reminder lead (here 1 hour) is used instead of the practice's
// 24 hours; a lead outside 1 hour to 14 days is refused at its field.
TEST_F(WaitlistOffersTest, ATypesReminderLeadDecidesWhenItsReminderGoesOut) {
  auto update = [&](const std::string& lead) {
    return Update("AppointmentTypeService", "AppointmentType",
                  "appointmentType", practice_.type, "reminderLead",
                  absl::StrCat("\"", lead, "\""), "reminder_lead");
  };
  HttpResponse bad = update("1800s");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("appointment_type.reminder_lead"), std::string::npos)
      << bad.body;
  ASSERT_EQ(update("3600s").status, 200);
  ASSERT_EQ(Book(maya_, "maya-lead").status, 200);  // 9:00 local
  ASSERT_EQ(*worker_->Consume(), 1);
  g_offset_seconds =
      absl::ToInt64Seconds(start_ - absl::Minutes(61) - absl::Now());
  EXPECT_EQ(*worker_->Remind(), 0);
  g_offset_seconds =
      absl::ToInt64Seconds(start_ - absl::Minutes(59) - absl::Now());
  EXPECT_EQ(*worker_->Remind(), 1);
}

}  // namespace
}  // namespace clinic::integration
