// Notifications across the services, with a real SMTP server (Debian's
// python3-aiosmtpd writing a Maildir): an appointment booked through the
// gateway becomes exactly one confirmation, whatever worker reads the
// outbox and however often; it is delivered with a calendar file that
// python3-icalendar reads back with the right instant; a cancellation
// sends METHOD:CANCEL with a higher SEQUENCE and takes the reminder back;
// reminders go out once, at the right time.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "services/common/server/client.h"
#include "services/common/testing/faults.h"
#include "services/notifications/unsubscribe.h"
#include "services/notifications/worker.h"
#include "tests/integration/system.h"

namespace clinic::integration {
namespace {

using gateway::testing::HttpResponse;
namespace fs = std::filesystem;

constexpr char kA[] = "/clinic.appointments.v1.";
constexpr char kN[] = "/clinic.notifications.v1.NotificationService/";

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  close(fd);
  return ntohs(a.sin_port);
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

std::string Run(const std::string& command) {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(command.c_str(), "r"), pclose);
  std::array<char, 512> buf;
  while (p && fgets(buf.data(), buf.size(), p.get()) != nullptr) {
    out += buf.data();
  }
  return out;
}

// The real SMTP server, writing what it receives to a Maildir.
class SmtpServer {
 public:
  SmtpServer() {
    dir_ = fs::temp_directory_path() /
           absl::StrCat("clinic-mail-", getpid(), "-",
                        absl::ToUnixMicros(absl::Now()));
    port_ = FreePort();
    pid_ = fork();
    if (pid_ == 0) {
      const std::string listen = absl::StrCat("127.0.0.1:", port_);
      execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n", "-l",
            listen.c_str(), "-c", "aiosmtpd.handlers.Mailbox", dir_.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 100 && !Accepts(port_); ++i)
      absl::SleepFor(absl::Milliseconds(50));
  }
  ~SmtpServer() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    fs::remove_all(dir_);
  }
  std::string relay() const { return absl::StrCat("smtp://127.0.0.1:", port_); }
  std::vector<fs::path> Received() const {
    std::vector<fs::path> out;
    if (!fs::exists(dir_ / "new")) return out;
    for (const auto& e : fs::directory_iterator(dir_ / "new"))
      out.push_back(e.path());
    std::sort(out.begin(), out.end(), [](const fs::path& a, const fs::path& b) {
      return fs::last_write_time(a) < fs::last_write_time(b);
    });
    return out;
  }

 private:
  fs::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// METHOD UID SEQUENCE DTSTART(UTC ISO) of the message's calendar file, read
// by python3-icalendar.
std::string CalendarFacts(const fs::path& message) {
  return Run(absl::StrCat(
      "/usr/bin/python3 -c '",
      "import sys, email, icalendar, datetime\n"
      "m = email.message_from_binary_file(open(sys.argv[1], \"rb\"))\n"
      "for p in m.walk():\n"
      "  if p.get_content_type() == \"text/calendar\":\n"
      "    c = icalendar.Calendar.from_ical(p.get_payload(decode=True))\n"
      "    e = list(c.walk(\"VEVENT\"))[0]\n"
      "    s = e.decoded(\"DTSTART\").astimezone(datetime.timezone.utc)\n"
      "    print(c[\"METHOD\"], e[\"UID\"], int(e[\"SEQUENCE\"]), "
      "s.isoformat())\n"
      "' ",
      message.string()));
}

class NotificationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto [admin, desk] = sys_.AdminAndFrontDesk("mail.example");
    desk_ = desk;
    const System::Practice p =
        sys_.MakePractice(admin, "pt@mail.example",
                          R"({"displayName":"Follow-up","duration":"2700s"})");
    therapist_ = p.therapist;
    location_ = p.location;
    type_ = p.type;
    HttpResponse r = sys_.Post(
        "/clinic.patients.v1.PatientService/CreatePatient",
        R"({"requestId":"maya","patient":{"givenName":"Maya","familyName":"Okafor",)"
        R"("birthDate":{"year":1988,"month":6,"day":1},"phone":"(303) 555-0141",)"
        R"("email":"maya@example.com"}})",
        desk_);
    ASSERT_EQ(r.status, 200) << r.body;
    patient_ = Field(r.body, "name");
  }

  std::unique_ptr<notifications::Worker> NewWorker(
      const std::string& relay, std::function<absl::Time()> now = absl::Now) {
    notifications::WorkerOptions o;
    o.smtp.relay = relay;
    o.smtp.sender = "clinic@mail.example";
    o.now = std::move(now);
    return std::make_unique<notifications::Worker>(
        sys_.message_store(), server::NewChannel(sys_.scheduling_target()),
        server::NewChannel(sys_.people_target()), &sys_.verifier(), o);
  }

  // Books 9:00 (Denver) `days` ahead; the appointment's name.
  std::string Book(int days, const std::string& rid) {
    absl::TimeZone denver;
    absl::LoadTimeZone("America/Denver", &denver);
    const absl::CivilDay day = absl::ToCivilDay(absl::Now(), denver) + days;
    start_ = absl::FromCivil(
        absl::CivilSecond(day.year(), day.month(), day.day(), 9, 0, 0), denver);
    HttpResponse r = sys_.Post(
        absl::StrCat(kA, "AppointmentService/BookAppointment"),
        absl::StrCat(
            R"({"requestId":")", rid, R"(","appointment":{"patient":")",
            patient_, R"(","therapist":")", therapist_, R"(","location":")",
            location_, R"(","appointmentType":")", type_, R"(","startTime":")",
            absl::FormatTime(absl::RFC3339_sec, start_, absl::UTCTimeZone()),
            R"("}})"),
        desk_);
    EXPECT_EQ(r.status, 200) << r.body;
    return Field(r.body, "name");
  }

  System sys_;
  std::string desk_, therapist_, location_, type_, patient_;
  absl::Time start_;
};

TEST_F(NotificationsTest,
       EachEventMakesOneMessageDeliveredWithItsCalendarFile) {
  SmtpServer smtp;
  const std::string appointment = Book(3, "mail-1");
  auto worker = NewWorker(smtp.relay());
  ASSERT_EQ(*worker->Consume(), 1);
  EXPECT_EQ(*worker->Consume(), 0);
  // Another worker (a restart, a second replica) makes nothing again.
  auto other = NewWorker("");
  EXPECT_EQ(*other->Consume(), 0);
  HttpResponse listed =
      sys_.Post(absl::StrCat(kN, "ListMessages"), "{}", desk_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_NE(listed.body.find(R"("kind":"CONFIRMATION")"), std::string::npos)
      << listed.body;
  EXPECT_NE(listed.body.find(R"("state":"QUEUED")"), std::string::npos);
  EXPECT_NE(listed.body.find("Hello Maya"), std::string::npos);

  ASSERT_EQ(*worker->SendDue(), 1);
  std::vector<fs::path> got = smtp.Received();
  ASSERT_EQ(got.size(), 1u);
  const std::string uid = absl::StrCat(
      appointment.substr(appointment.find('/') + 1), "@appointments.clinic");
  EXPECT_EQ(CalendarFacts(got[0]),
            absl::StrCat("REQUEST ", uid, " 0 ",
                         absl::FormatTime("%Y-%m-%dT%H:%M:%S+00:00", start_,
                                          absl::UTCTimeZone()),
                         "\n"));
  listed = sys_.Post(absl::StrCat(kN, "ListMessages"), "{}", desk_);
  EXPECT_NE(listed.body.find(R"("state":"SENT")"), std::string::npos);
  EXPECT_NE(listed.body.find("250 accepted"), std::string::npos) << listed.body;

  // Cancelled: one cancellation, METHOD:CANCEL, SEQUENCE 1.
  HttpResponse r =
      sys_.Post(absl::StrCat(kA, "AppointmentService/CancelAppointment"),
                absl::StrCat(R"({"name":")", appointment,
                             R"(","reason":"Patient called"})"),
                desk_);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(*other->Consume(), 1);
  ASSERT_EQ(*worker->SendDue(), 1);
  got = smtp.Received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(CalendarFacts(got[1]).substr(0, 7 + uid.size() + 2),
            absl::StrCat("CANCEL ", uid, " 1"));
  // Its reminder is gone: nothing fires even a day before.
  auto later = NewWorker(smtp.relay(), [&] { return start_ - absl::Hours(2); });
  EXPECT_EQ(*later->Remind(), 0);
}

TEST_F(NotificationsTest, AReminderGoesOutOnceWhenDue) {
  SmtpServer smtp;
  Book(3, "mail-2");
  absl::Time now = absl::Now();
  auto worker = NewWorker(smtp.relay(), [&] { return now; });
  ASSERT_EQ(*worker->Consume(), 1);
  EXPECT_EQ(*worker->Remind(), 0);  // not yet
  now = start_ - absl::Hours(24) + absl::Minutes(1);
  EXPECT_EQ(*worker->Remind(), 1);
  EXPECT_EQ(*worker->Remind(), 0);   // once
  ASSERT_EQ(*worker->SendDue(), 2);  // the confirmation and the reminder
  HttpResponse listed =
      sys_.Post(absl::StrCat(kN, "ListMessages"), R"({"state":"SENT"})", desk_);
  EXPECT_NE(listed.body.find(R"("kind":"REMINDER")"), std::string::npos)
      << listed.body;
  EXPECT_NE(listed.body.find("Reminder: your Follow-up on"), std::string::npos);
}

TEST_F(NotificationsTest, AFailingRelayIsRetriedWithBackoff) {
  Book(3, "mail-3");
  auto worker = NewWorker("smtp://127.0.0.1:1");
  ASSERT_EQ(*worker->Consume(), 1);
  EXPECT_EQ(*worker->SendDue(), 0);
  HttpResponse listed =
      sys_.Post(absl::StrCat(kN, "ListMessages"), "{}", desk_);
  EXPECT_NE(listed.body.find(R"("state":"RETRYING")"), std::string::npos)
      << listed.body;
  EXPECT_NE(listed.body.find(R"("attempts":1)"), std::string::npos);
  EXPECT_EQ(*worker->SendDue(), 0);  // not due again for a minute
}

// Every reminder carries an unsubscribe link; the link (anyone holding it,
// no session) stops the patient's reminders and records it on the patient;
// any other token gets one answer.
TEST_F(NotificationsTest, TheUnsubscribeLinkStopsReminders) {
  absl::Time now = absl::Now();
  notifications::WorkerOptions o;
  o.now = [&] { return now; };
  o.public_base_url = "https://clinic.example";
  o.unsubscribe_key = notifications::DeriveUnsubscribeKey(kSecret);
  notifications::Worker worker(
      sys_.message_store(), server::NewChannel(sys_.scheduling_target()),
      server::NewChannel(sys_.people_target()), &sys_.verifier(), o);
  Book(3, "unsub-1");
  const absl::Time first = start_;
  Book(4, "unsub-2");
  const absl::Time second = start_;
  ASSERT_EQ(*worker.Consume(), 2);
  now = first - absl::Hours(23);
  ASSERT_EQ(*worker.Remind(), 1);
  const std::string token =
      notifications::UnsubscribeToken(o.unsubscribe_key, patient_);
  HttpResponse listed = sys_.Post(absl::StrCat(kN, "ListMessages"),
                                  R"({"state":"QUEUED"})", desk_);
  EXPECT_NE(listed.body.find(absl::StrCat(
                "https://clinic.example/unsubscribe.html?t=", token)),
            std::string::npos)
      << listed.body;

  // Anonymous, as from the email.
  HttpResponse r = sys_.Post(absl::StrCat(kN, "UnsubscribeFromReminders"),
                             absl::StrCat(R"({"token":")", token, R"("})"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("no more appointment reminders"), std::string::npos);
  now = second - absl::Hours(23);
  EXPECT_EQ(*worker.Remind(), 0);  // the pending one was cancelled
  HttpResponse p =
      sys_.Post("/clinic.patients.v1.PatientService/GetPatient",
                absl::StrCat(R"({"name":")", patient_, R"("})"), desk_);
  EXPECT_NE(p.body.find(R"("remindersOptOut":true)"), std::string::npos)
      << p.body;
  // A booking after that gets a confirmation, no reminder.
  Book(5, "unsub-3");
  ASSERT_EQ(*worker.Consume(), 1);
  now = start_ - absl::Hours(23);
  EXPECT_EQ(*worker.Remind(), 0);
  // Other tokens: one answer.
  for (const std::string& bad :
       {std::string("x"), token.substr(0, token.size() - 2) + "AA",
        notifications::UnsubscribeToken("another key", patient_)}) {
    r = sys_.Post(absl::StrCat(kN, "UnsubscribeFromReminders"),
                  absl::StrCat(R"({"token":")", bad, R"("})"));
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_NE(r.body.find("This link does not work (any more)."),
              std::string::npos);
  }
}

// Three workers read the outbox at once while the front desk books and
// cancels, and their calls to the appointments service fail now and then
// (before or after it answered): afterwards every event made exactly one
// message.
TEST_F(NotificationsTest, ConcurrentWorkersAndFailuresMakeEachMessageOnce) {
  testing::Faults faults;
  std::vector<std::unique_ptr<notifications::Worker>> workers;
  for (int i = 0; i < 3; ++i) {
    notifications::WorkerOptions o;
    workers.push_back(std::make_unique<notifications::Worker>(
        sys_.message_store(), faults.Channel(sys_.scheduling_target()),
        server::NewChannel(sys_.people_target()), &sys_.verifier(), o));
  }
  std::atomic<bool> done{false};
  std::vector<std::thread> readers;
  for (auto& w : workers) {
    readers.emplace_back([&, worker = w.get()] {
      while (!done.load()) {
        (void)worker->Consume();
        absl::SleepFor(absl::Milliseconds(5));
      }
    });
  }
  constexpr char kEvents[] =
      "/clinic.appointments.v1.AppointmentService/ListAppointmentEvents";
  constexpr char kLocation[] =
      "/clinic.appointments.v1.LocationService/GetLocation";
  int booked = 0, cancelled = 0;
  for (int i = 0; i < 12; ++i) {
    if (i % 3 == 0) faults.Fail(kEvents, testing::Faults::kAfter, 2);
    if (i % 4 == 1) faults.Fail(kEvents, testing::Faults::kBefore, 1);
    if (i % 5 == 2) faults.Fail(kLocation, testing::Faults::kBefore, 1);
    const std::string a = Book(3 + i, absl::StrCat("conc-", i));
    ++booked;
    if (i % 2 == 0) {
      HttpResponse r = sys_.Post(
          absl::StrCat(kA, "AppointmentService/CancelAppointment"),
          absl::StrCat(R"({"name":")", a, R"(","reason":"Test"})"), desk_);
      EXPECT_EQ(r.status, 200) << r.body;
      ++cancelled;
    }
  }
  // Let them catch up (30 s at most: a loaded machine is slow, a skipped
  // event never comes), then stop.
  for (int i = 0; i < 300; ++i) {
    HttpResponse listed = sys_.Post(absl::StrCat(kN, "ListMessages"),
                                    R"({"pageSize":200})", desk_);
    int n = 0;
    for (size_t at = 0;
         (at = listed.body.find("\"kind\"", at)) != std::string::npos; ++at) {
      ++n;
    }
    if (n >= booked + cancelled) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  done.store(true);
  for (std::thread& t : readers) t.join();
  EXPECT_GT(faults.failed(kEvents), 0);
  HttpResponse listed =
      sys_.Post(absl::StrCat(kN, "ListMessages"), R"({"pageSize":200})", desk_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  int confirmations = 0, cancellations = 0;
  for (size_t at = 0;
       (at = listed.body.find("\"CONFIRMATION\"", at)) != std::string::npos;
       ++at) {
    ++confirmations;
  }
  for (size_t at = 0;
       (at = listed.body.find("\"CANCELLATION\"", at)) != std::string::npos;
       ++at) {
    ++cancellations;
  }
  EXPECT_EQ(confirmations, booked);
  EXPECT_EQ(cancellations, cancelled);
  if (confirmations != booked || cancellations != cancelled) {
    // Which events have no message, and where the readers' cursor stands.
    pqxx::connection c(sys_.conninfo());
    pqxx::nontransaction n(c);
    for (const pqxx::row& r :
         n.exec("SELECT e.txid::text || ':' || e.id, e.kind, e.time::text"
                " FROM appointments.events e WHERE e.kind IN (1, 2, 3, 9)"
                " AND NOT EXISTS (SELECT 1 FROM notifications.messages m"
                " WHERE m.source = 'event:' || e.txid || ':' || e.id)")) {
      ADD_FAILURE() << "no message for event " << r[0].c_str() << " (kind "
                    << r[1].c_str() << ", " << r[2].c_str() << ")";
    }
    ADD_FAILURE()
        << "cursor: "
        << n.exec("SELECT position FROM notifications.cursor")[0][0].c_str();
  }
}

}  // namespace
}  // namespace clinic::integration
