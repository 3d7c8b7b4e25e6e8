// Races against real PostgreSQL through the real gRPC service: however many
// requests race for one slot, exactly one wins, the rest get
// ALREADY_EXISTS, and afterwards SQL finds no overlapping active
// appointments. Prints the counts.
#include <atomic>
#include <cstdio>
#include <functional>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "services/appointments/test_fixture.h"
#include "services/appointments/validation.h"

namespace clinic::appointments {
namespace {

struct Tally {
  std::atomic<int> ok{0};
  std::atomic<int> already_exists{0};
  std::atomic<int> other{0};
  void Count(const grpc::Status& s) {
    if (s.ok()) {
      ++ok;
    } else if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      ++already_exists;
    } else {
      ++other;
      std::fprintf(stderr, "unexpected: %d %s\n", s.error_code(),
                   s.error_message().c_str());
    }
  }
};

// Runs fn(i) for i in [0, n) on n threads released at once.
void RunTogether(int n, const std::function<void(int)>& fn) {
  absl::Notification go;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      go.WaitForNotification();
      fn(i);
    });
  }
  go.Notify();
  for (std::thread& t : threads) t.join();
}

std::string Therapist(int i) {
  return absl::StrFormat("staff/44444444-4444-4444-8444-%012d", i);
}

class RaceTest : public SchedulingFixture {
 protected:
  void SetUp() override {
    SchedulingFixture::SetUp();
    CreateCatalog();
  }
  void AddSchedule(const std::string& therapist) {
    v1::UpdateProviderScheduleRequest req;
    *req.mutable_schedule() = WeeklySchedule(therapist);
    v1::UpdateProviderScheduleResponse resp;
    auto ctx = Ctx(api::v1::STAFF_ROLE_ADMIN);
    grpc::Status s =
        schedule_stub_->UpdateProviderSchedule(ctx.get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
};

TEST_F(RaceTest, FiftyBookingsOfOneSlotOneWins) {
  constexpr int kRounds = 20;
  constexpr int kContenders = 50;
  int successes = 0, refusals = 0;
  for (int r = 0; r < kRounds; ++r) {
    const absl::Time start = Local(2026, 3, 3 + r, 9, 0);
    Tally tally;
    RunTogether(kContenders, [&](int i) {
      v1::Appointment out;
      tally.Count(Book(Patient(r * 1000 + i), start, &out,
                       absl::StrCat("race-", r, "-", i)));
    });
    EXPECT_EQ(tally.ok, 1) << "round " << r;
    EXPECT_EQ(tally.already_exists, kContenders - 1) << "round " << r;
    EXPECT_EQ(tally.other, 0);
    successes += tally.ok;
    refusals += tally.already_exists;
  }
  const int therapist_overlaps = TherapistOverlaps();
  const int patient_overlaps = PatientOverlaps();
  std::printf(
      "RACE book: rounds=%d contenders=%d successes=%d refusals=%d "
      "therapist_overlaps=%d patient_overlaps=%d\n",
      kRounds, kContenders, successes, refusals, therapist_overlaps,
      patient_overlaps);
  EXPECT_EQ(successes, kRounds);
  EXPECT_EQ(therapist_overlaps, 0);
  EXPECT_EQ(patient_overlaps, 0);
}

TEST_F(RaceTest, OnePatientRacingForManyTherapistsGetsOne) {
  // The patient constraint: one patient, the same hour, 20 therapists.
  constexpr int kRounds = 10;
  constexpr int kTherapists = 20;
  for (int t = 0; t < kTherapists; ++t) AddSchedule(Therapist(t));
  int successes = 0, refusals = 0;
  for (int r = 0; r < kRounds; ++r) {
    const absl::Time start = Local(2026, 5, 4 + r, 10, 0);
    Tally tally;
    RunTogether(kTherapists, [&](int i) {
      v1::Appointment out;
      tally.Count(Book(Patient(500000 + r), start, &out, "", "", Therapist(i)));
    });
    EXPECT_EQ(tally.ok, 1) << "round " << r;
    EXPECT_EQ(tally.already_exists, kTherapists - 1) << "round " << r;
    successes += tally.ok;
    refusals += tally.already_exists;
  }
  const int patient_overlaps = PatientOverlaps();
  std::printf(
      "RACE patient: rounds=%d contenders=%d successes=%d refusals=%d "
      "patient_overlaps=%d\n",
      kRounds, kTherapists, successes, refusals, patient_overlaps);
  EXPECT_EQ(patient_overlaps, 0);
  EXPECT_EQ(TherapistOverlaps(), 0);
}

TEST_F(RaceTest, ReschedulesIntoOneFreeSlotOneWins) {
  constexpr int kRounds = 20;
  constexpr int kContenders = 20;
  for (int t = 0; t < kContenders; ++t) AddSchedule(Therapist(t));
  int successes = 0, refusals = 0;
  for (int r = 0; r < kRounds; ++r) {
    // Each contender has an appointment with its own therapist at 09:00;
    // all move into kTherapist's free 14:00 slot.
    std::vector<v1::Appointment> booked(kContenders);
    for (int i = 0; i < kContenders; ++i) {
      grpc::Status s =
          Book(Patient(100000 + r * 100 + i), Local(2026, 4, 1 + r, 9, 0),
               &booked[i], "", "", Therapist(i));
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    const absl::Time target = Local(2026, 4, 1 + r, 14, 0);
    Tally tally;
    std::vector<v1::Appointment> results(kContenders);
    RunTogether(kContenders, [&](int i) {
      v1::RescheduleAppointmentRequest req;
      req.set_name(booked[i].name());
      *req.mutable_start_time() = ToProto(target);
      req.set_therapist(kTherapist);
      auto ctx = Ctx();
      tally.Count(stub_->RescheduleAppointment(ctx.get(), req, &results[i]));
    });
    EXPECT_EQ(tally.ok, 1) << "round " << r;
    EXPECT_EQ(tally.already_exists, kContenders - 1) << "round " << r;
    EXPECT_EQ(tally.other, 0);
    successes += tally.ok;
    refusals += tally.already_exists;
    // The losers did not move.
    int at_nine = 0;
    for (int i = 0; i < kContenders; ++i) {
      v1::GetAppointmentRequest get;
      get.set_name(booked[i].name());
      v1::Appointment now;
      auto ctx = Ctx();
      ASSERT_TRUE(stub_->GetAppointment(ctx.get(), get, &now).ok());
      if (FromProto(now.start_time()) == Local(2026, 4, 1 + r, 9, 0) &&
          now.therapist() == Therapist(i)) {
        ++at_nine;
      }
    }
    EXPECT_EQ(at_nine, kContenders - 1);
  }
  const int therapist_overlaps = TherapistOverlaps();
  const int patient_overlaps = PatientOverlaps();
  std::printf(
      "RACE reschedule: rounds=%d contenders=%d successes=%d refusals=%d "
      "therapist_overlaps=%d patient_overlaps=%d\n",
      kRounds, kContenders, successes, refusals, therapist_overlaps,
      patient_overlaps);
  EXPECT_EQ(successes, kRounds);
  EXPECT_EQ(therapist_overlaps, 0);
  EXPECT_EQ(patient_overlaps, 0);
}

TEST_F(RaceTest, HoldThenBook) {
  constexpr int kRounds = 20;
  constexpr int kContenders = 50;
  int holds = 0, hold_refusals = 0, held_bookings_refused = 0,
      bookings_with_hold = 0, bookings_after_expiry = 0;
  for (int r = 0; r < kRounds; ++r) {
    const absl::Time start = Local(2026, 6, 1 + r, 15, 0);
    v1::Slot slot;
    slot.set_therapist(kTherapist);
    slot.set_location(location_.name());
    slot.set_appointment_type(type_.name());
    *slot.mutable_start_time() = ToProto(start);
    Tally tally;
    std::vector<v1::Hold> got(kContenders);
    RunTogether(kContenders, [&](int i) {
      v1::HoldSlotRequest req;
      *req.mutable_slot() = slot;
      auto ctx = Ctx();
      tally.Count(stub_->HoldSlot(ctx.get(), req, &got[i]));
    });
    ASSERT_EQ(tally.ok, 1) << "round " << r;
    EXPECT_EQ(tally.already_exists, kContenders - 1);
    holds += tally.ok;
    hold_refusals += tally.already_exists;
    std::string hold;
    for (const v1::Hold& h : got) {
      if (!h.name().empty()) hold = h.name();
    }
    if (r % 2 == 0) {
      // Twenty bookings without the hold race one with it: the hold wins.
      Tally without;
      std::atomic<bool> with_ok{false};
      RunTogether(21, [&](int i) {
        v1::Appointment out;
        if (i == 20) {
          with_ok = Book(Patient(200000 + r), start, &out, "", hold).ok();
        } else {
          without.Count(Book(Patient(210000 + r * 100 + i), start, &out));
        }
      });
      EXPECT_TRUE(with_ok) << "round " << r;
      EXPECT_EQ(without.ok, 0);
      EXPECT_EQ(without.already_exists, 20);
      bookings_with_hold += with_ok;
      held_bookings_refused += without.already_exists;
    } else {
      // Held: a booking without the hold fails; once it has lapsed, it
      // succeeds and the hold is refused.
      v1::Appointment out;
      grpc::Status s = Book(Patient(220000 + r), start, &out);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
      EXPECT_NE(s.error_message().find("held"), std::string::npos)
          << s.error_message();
      held_bookings_refused += s.error_code() == grpc::ALREADY_EXISTS;
      SetNow(Now() + options_.hold_ttl + absl::Seconds(1));
      s = Book(Patient(230000 + r), start, &out);
      EXPECT_TRUE(s.ok()) << s.error_message();
      bookings_after_expiry += s.ok();
      s = Book(Patient(240000 + r), start, &out, "", hold);
      EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
          << s.error_message();
    }
  }
  const int therapist_overlaps = TherapistOverlaps();
  std::printf(
      "RACE hold: rounds=%d contenders=%d holds=%d hold_refusals=%d "
      "booked_with_hold=%d refused_while_held=%d booked_after_expiry=%d "
      "therapist_overlaps=%d patient_overlaps=%d\n",
      kRounds, kContenders, holds, hold_refusals, bookings_with_hold,
      held_bookings_refused, bookings_after_expiry, therapist_overlaps,
      PatientOverlaps());
  EXPECT_EQ(therapist_overlaps, 0);
}

TEST_F(RaceTest, SameRequestIdConcurrentlyCreatesOneAppointment) {
  constexpr int kRounds = 10;
  constexpr int kThreads = 20;
  int distinct_total = 0, calls_ok = 0;
  for (int r = 0; r < kRounds; ++r) {
    const absl::Time start = Local(2026, 7, 1 + r, 10, 0);
    std::vector<std::string> names(kThreads);
    Tally tally;
    RunTogether(kThreads, [&](int i) {
      v1::Appointment out;
      grpc::Status s =
          Book(Patient(300000 + r), start, &out, absl::StrCat("same-", r));
      tally.Count(s);
      names[i] = out.name();
    });
    EXPECT_EQ(tally.ok, kThreads) << "round " << r;
    const std::set<std::string> distinct(names.begin(), names.end());
    EXPECT_EQ(distinct.size(), 1u);
    distinct_total += distinct.size();
    calls_ok += tally.ok;
    // The same id with another body is refused.
    v1::Appointment out;
    grpc::Status s = Book(Patient(300000 + r), start + absl::Hours(3), &out,
                          absl::StrCat("same-", r));
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(s.error_message().rfind("request_id: ", 0), 0u)
        << s.error_message();
  }
  std::printf(
      "RACE idempotency: rounds=%d threads=%d calls_ok=%d appointments=%d\n",
      kRounds, kThreads, calls_ok, distinct_total);
  EXPECT_EQ(distinct_total, kRounds);
}

}  // namespace
}  // namespace clinic::appointments
