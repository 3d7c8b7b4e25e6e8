#include "services/appointments/day_window.h"

#include "gtest/gtest.h"

namespace clinic::appointments {
namespace {

class DayWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(absl::LoadTimeZone("America/Denver", &zone_));
  }
  absl::Time At(int month, int day, int hour, int minute = 0) {
    return absl::FromCivil(absl::CivilSecond(2026, month, day, hour, minute, 0),
                           zone_);
  }
  absl::Status Check(DayAction a, absl::Time now) {
    return CheckDayWindow(a, now, At(12, 2, 10, 30), At(12, 2, 11, 15), zone_);
  }
  absl::TimeZone zone_;
};

TEST_F(DayWindowTest, CheckInOnlyOnTheLocalDay) {
  EXPECT_TRUE(Check(DayAction::kCheckIn, At(12, 2, 7, 0)).ok());
  EXPECT_TRUE(Check(DayAction::kCheckIn, At(12, 2, 23, 30)).ok());
  const absl::Status early = Check(DayAction::kCheckIn, At(11, 29, 9, 0));
  EXPECT_EQ(early.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(early.message(),
            "Check-in opens on Wednesday 2 December, the day of the "
            "appointment.");
  EXPECT_EQ(Check(DayAction::kCheckIn, At(12, 3, 9, 0)).code(),
            absl::StatusCode::kFailedPrecondition);
  // 18:00 UTC is 11:00 in Denver: the location's day counts, not UTC's.
  EXPECT_TRUE(
      CheckDayWindow(DayAction::kCheckIn,
                     absl::FromCivil(absl::CivilSecond(2026, 12, 3, 5, 0, 0),
                                     absl::UTCTimeZone()),
                     At(12, 2, 10, 30), At(12, 2, 11, 15), zone_)
          .ok());
}

TEST_F(DayWindowTest, AcrossMidnightAnHoursGrace) {
  const absl::Time start = At(12, 2, 23, 30);
  const absl::Time end = At(12, 3, 0, 15);
  EXPECT_TRUE(
      CheckDayWindow(DayAction::kCheckIn, At(12, 3, 0, 5), start, end, zone_)
          .ok());
  EXPECT_TRUE(
      CheckDayWindow(DayAction::kNoShow, At(12, 3, 1, 0), start, end, zone_)
          .ok());
  EXPECT_FALSE(
      CheckDayWindow(DayAction::kCheckIn, At(12, 3, 2, 0), start, end, zone_)
          .ok());
}

TEST_F(DayWindowTest, NoShowAfterTheStartAndUndoOnTheDay) {
  EXPECT_EQ(Check(DayAction::kNoShow, At(12, 2, 10, 0)).message(),
            "The appointment starts at 10:30; it can be marked as a no-show "
            "once it has started.");
  EXPECT_TRUE(Check(DayAction::kNoShow, At(12, 2, 10, 45)).ok());
  EXPECT_FALSE(Check(DayAction::kNoShow, At(12, 3, 10, 45)).ok());
  EXPECT_TRUE(Check(DayAction::kUndo, At(12, 2, 18, 0)).ok());
  EXPECT_FALSE(Check(DayAction::kUndo, At(12, 3, 8, 0)).ok());
}

}  // namespace
}  // namespace clinic::appointments
