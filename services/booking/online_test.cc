#include "services/booking/online.h"

#include "gtest/gtest.h"
#include "services/common/status/errors.h"

namespace clinic::booking {
namespace {

constexpr char kType[] =
    "appointmentTypes/8f3c2a1e-0b7d-4c1a-9e2f-3d4c5b6a7e8f";
constexpr char kLocation[] = "locations/8f3c2a1e-0b7d-4c1a-9e2f-3d4c5b6a7e80";

google::type::Date Date(int y, int m, int d) {
  google::type::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

std::vector<std::string> Fields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const auto& v : status::FieldViolationsOf(s)) out.push_back(v.field);
  return out;
}

TEST(OnlineTest, FindOpeningsNeedsNamesAndAtMostFourteenDays) {
  v1::FindOpeningsRequest r;
  EXPECT_EQ(Fields(CheckFindOpenings(r)),
            (std::vector<std::string>{"appointment_type", "location",
                                      "start_date", "end_date"}));
  r.set_appointment_type(kType);
  r.set_location(kLocation);
  *r.mutable_start_date() = Date(2026, 12, 1);
  *r.mutable_end_date() = Date(2026, 12, 14);
  EXPECT_TRUE(CheckFindOpenings(r).ok());
  *r.mutable_end_date() = Date(2026, 12, 15);
  EXPECT_EQ(Fields(CheckFindOpenings(r)), std::vector<std::string>{"end_date"});
  *r.mutable_end_date() = Date(2026, 11, 30);
  EXPECT_EQ(Fields(CheckFindOpenings(r)), std::vector<std::string>{"end_date"});
  *r.mutable_start_date() = Date(2026, 2, 30);
  EXPECT_EQ(Fields(CheckFindOpenings(r)),
            std::vector<std::string>{"start_date"});
}

TEST(OnlineTest, BookOnlineChecksEverythingItCanAtOnce) {
  v1::BookOnlineRequest r;
  EXPECT_EQ(Fields(CheckBookOnline(r)),
            (std::vector<std::string>{"request_id", "appointment_type",
                                      "location", "therapist", "start_time",
                                      "person", "consent_to_contact"}));
}

TEST(OnlineTest, ErrorsOfTheServicesBehindNameThePublicFields) {
  absl::Status s = ForThePublic(status::InvalidFields(
      {{"patient.email", "not a valid email address"},
       {"patient.birth_date", "must not be in the future"},
       {"appointment.start_time", "is in the past"}}));
  EXPECT_EQ(Fields(s), (std::vector<std::string>{
                           "person.email", "person.birth_date", "start_time"}));
}

TEST(OnlineTest, TheConfirmationSpeaksInWordsAndLocalTime) {
  EXPECT_EQ(Confirmation("Free screening", "Boulder – Pearl Street",
                         "2026-12-01T09:00", "America/Denver"),
            "Free screening at Boulder – Pearl Street on Tuesday 1 December "
            "2026 at 9:00 AM (America/Denver).");
  EXPECT_EQ(Confirmation("Initial evaluation", "Denver", "2026-12-05T13:30",
                         "America/Denver"),
            "Initial evaluation at Denver on Saturday 5 December 2026 at 1:30 "
            "PM (America/Denver).");
}

}  // namespace
}  // namespace clinic::booking
