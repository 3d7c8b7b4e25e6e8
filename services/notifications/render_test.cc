#include "services/notifications/render.h"

#include "gtest/gtest.h"

namespace clinic::notifications {
namespace {

absl::TimeZone Denver() {
  absl::TimeZone z;
  EXPECT_TRUE(absl::LoadTimeZone("America/Denver", &z));
  return z;
}

absl::Time Local(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), Denver());
}

TEST(RenderTest, TemplatesFillTheirPlaceholders) {
  absl::StatusOr<Rendered> r =
      Render("confirmation",
             {{"given_name", "Maya"},
              {"type", "Free screening"},
              {"location", "Denver – Highlands"},
              {"when", LocalWords(Local(2026, 12, 2, 9, 0), Denver())}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->subject,
            "Your Free screening at Denver – Highlands on Wednesday 2 December "
            "2026 at 9:00 AM (MST)");
  EXPECT_NE(r->body.find("Hello Maya,"), std::string::npos);
  EXPECT_EQ(r->body.find("{{"), std::string::npos);  // manage: left empty
  EXPECT_FALSE(Render("nothing", {}).ok());
}

TEST(RenderTest, CalendarFilesFollowRfc5545) {
  IcsEvent e;
  e.uid = "0b98@appointments.clinic";
  e.sequence = 2;
  e.start = Local(2026, 12, 2, 9, 0);
  e.end = Local(2026, 12, 2, 9, 45);
  e.stamp = Local(2026, 11, 30, 10, 0);
  e.summary = "Follow-up, knee; right";
  e.location = "Denver – Highlands";
  e.description = std::string(100, 'x');
  e.time_zone = "America/Denver";
  const std::string ics = Ics(e);
  EXPECT_NE(ics.find("METHOD:REQUEST\r\n"), std::string::npos);
  EXPECT_NE(ics.find("UID:0b98@appointments.clinic\r\n"), std::string::npos);
  EXPECT_NE(ics.find("SEQUENCE:2\r\n"), std::string::npos);
  // 9:00 in Denver in December is 16:00 UTC.
  EXPECT_NE(ics.find("DTSTART:20261202T160000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("SUMMARY:Follow-up\\, knee\\; right\r\n"),
            std::string::npos);
  // Long lines are folded at 75 octets.
  for (size_t at = 0, next; (next = ics.find("\r\n", at)) != std::string::npos;
       at = next + 2) {
    EXPECT_LE(next - at, 75u);
  }
  EXPECT_NE(ics.find("\r\n x"), std::string::npos);
  e.cancelled = true;
  EXPECT_NE(Ics(e).find("METHOD:CANCEL\r\n"), std::string::npos);
  EXPECT_NE(Ics(e).find("STATUS:CANCELLED\r\n"), std::string::npos);
}

TEST(RenderTest, RemindersKeepTheLocalTimeAcrossDaylightSaving) {
  const absl::TimeZone z = Denver();
  // 9:00 on Sunday 8 March 2026, hours after clocks went forward: the
  // reminder is at 9:00 on Saturday (23 hours before, not 24).
  const absl::Time start = Local(2026, 3, 8, 9, 0);
  const absl::Time due = ReminderDue(start, z, absl::Hours(24), 21, 8);
  EXPECT_EQ(due, Local(2026, 3, 7, 9, 0));
  EXPECT_EQ(start - due, absl::Hours(23));
  // And on the day they go back (1 November): 25 hours.
  const absl::Time fall = Local(2026, 11, 1, 9, 0);
  EXPECT_EQ(fall - ReminderDue(fall, z, absl::Hours(24), 21, 8),
            absl::Hours(25));
  // A reminder that would fall in the quiet hours: in the morning, when
  // they end; in the evening, the hour before they begin.
  EXPECT_EQ(ReminderDue(Local(2026, 12, 3, 7, 30), z, absl::Hours(24), 21, 8),
            Local(2026, 12, 2, 8, 0));
  EXPECT_EQ(ReminderDue(Local(2026, 12, 3, 22, 0), z, absl::Hours(24), 21, 8),
            Local(2026, 12, 2, 20, 0));
  // A lead that is not whole days is exact.
  EXPECT_EQ(ReminderDue(Local(2026, 12, 3, 15, 0), z, absl::Hours(2), 21, 8),
            Local(2026, 12, 3, 13, 0));
}

TEST(RenderTest, SpanishLocationsGetSpanishWordsAndTemplates) {
  const absl::TimeZone z = Denver();
  EXPECT_EQ(LocalWords(Local(2026, 12, 2, 9, 5), z, Language::kSpanish),
            "miércoles 2 de diciembre de 2026 a las 9:05 (MST)");
  EXPECT_EQ(LocalWords(Local(2026, 12, 2, 13, 0), z, Language::kSpanish),
            "miércoles 2 de diciembre de 2026 a las 13:00 (MST)");
  absl::StatusOr<Rendered> es = Render(
      "confirmation", {{"type", "Evaluación"}, {"given_name", "Ana"}},
      LanguageOf("es"));
  ASSERT_TRUE(es.ok());
  EXPECT_EQ(es->body.rfind("Hola Ana:", 0), 0u) << es->body;
  // Unknown languages and templates without a translation: English.
  absl::StatusOr<Rendered> en =
      Render("confirmation", {{"given_name", "Ana"}}, LanguageOf("fr"));
  ASSERT_TRUE(en.ok());
  EXPECT_EQ(en->body.rfind("Hello Ana,", 0), 0u);
}

TEST(RenderTest, AFeedHasOneEventPerAppointmentAndNoMethod) {
  IcsEvent a;
  a.uid = "a@appointments.clinic";
  a.start = Local(2026, 12, 2, 9, 0);
  a.end = a.start + absl::Minutes(45);
  a.stamp = a.start - absl::Hours(48);
  a.summary = "Follow-up";
  IcsEvent b = a;
  b.uid = "b@appointments.clinic";
  b.cancelled = true;
  const std::string feed = IcsFeed("Clinic appointments", {a, b});
  EXPECT_EQ(feed.find("METHOD:"), std::string::npos);
  EXPECT_NE(feed.find("X-WR-CALNAME:Clinic appointments\r\n"),
            std::string::npos);
  EXPECT_NE(feed.find("UID:a@appointments.clinic\r\n"), std::string::npos);
  EXPECT_NE(feed.find("UID:b@appointments.clinic\r\nSEQUENCE:0\r\n"),
            std::string::npos);
  EXPECT_NE(feed.find("STATUS:CANCELLED\r\n"), std::string::npos);
  EXPECT_NE(feed.find("DTSTART:20261202T160000Z\r\n"), std::string::npos);
}

}  // namespace
}  // namespace clinic::notifications
