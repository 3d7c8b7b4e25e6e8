#include "services/appointments/state_machine.h"

#include <map>
#include <utility>

#include "gtest/gtest.h"

namespace clinic::appointments {
namespace {

using v1::AppointmentState;

TEST(StateMachineTest, EveryStateAndVerb) {
  const std::map<std::pair<AppointmentState, Verb>, AppointmentState> allowed =
      {
          {{v1::APPOINTMENT_STATE_BOOKED, Verb::kConfirm},
           v1::APPOINTMENT_STATE_CONFIRMED},
          {{v1::APPOINTMENT_STATE_BOOKED, Verb::kCheckIn},
           v1::APPOINTMENT_STATE_CHECKED_IN},
          {{v1::APPOINTMENT_STATE_CONFIRMED, Verb::kCheckIn},
           v1::APPOINTMENT_STATE_CHECKED_IN},
          {{v1::APPOINTMENT_STATE_CHECKED_IN, Verb::kComplete},
           v1::APPOINTMENT_STATE_COMPLETED},
          {{v1::APPOINTMENT_STATE_BOOKED, Verb::kMarkNoShow},
           v1::APPOINTMENT_STATE_NO_SHOW},
          {{v1::APPOINTMENT_STATE_CONFIRMED, Verb::kMarkNoShow},
           v1::APPOINTMENT_STATE_NO_SHOW},
          {{v1::APPOINTMENT_STATE_BOOKED, Verb::kCancel},
           v1::APPOINTMENT_STATE_CANCELLED},
          {{v1::APPOINTMENT_STATE_CONFIRMED, Verb::kCancel},
           v1::APPOINTMENT_STATE_CANCELLED},
          {{v1::APPOINTMENT_STATE_BOOKED, Verb::kReschedule},
           v1::APPOINTMENT_STATE_BOOKED},
          {{v1::APPOINTMENT_STATE_CONFIRMED, Verb::kReschedule},
           v1::APPOINTMENT_STATE_CONFIRMED},
      };
  int refused = 0;
  for (int s = 0; s <= 6; ++s) {
    for (Verb v : {Verb::kConfirm, Verb::kCheckIn, Verb::kComplete,
                   Verb::kMarkNoShow, Verb::kCancel, Verb::kReschedule}) {
      const auto state = static_cast<AppointmentState>(s);
      absl::StatusOr<AppointmentState> next = Transition(state, v);
      auto it = allowed.find({state, v});
      if (it != allowed.end()) {
        ASSERT_TRUE(next.ok()) << s << " " << VerbName(v);
        EXPECT_EQ(*next, it->second);
      } else {
        ++refused;
        EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition);
      }
    }
  }
  EXPECT_EQ(refused, 7 * 6 - 10);
}

TEST(StateMachineTest, MessagesNameStateAndVerb) {
  EXPECT_EQ(Transition(v1::APPOINTMENT_STATE_CANCELLED, Verb::kCheckIn)
                .status()
                .message(),
            "appointment is cancelled; cannot check in");
  EXPECT_EQ(Transition(v1::APPOINTMENT_STATE_CHECKED_IN, Verb::kMarkNoShow)
                .status()
                .message(),
            "appointment is checked in; cannot mark no-show");
  EXPECT_EQ(Transition(v1::APPOINTMENT_STATE_COMPLETED, Verb::kReschedule)
                .status()
                .message(),
            "appointment is completed; cannot reschedule");
}

TEST(StateMachineTest, ActiveStatesHoldTheSlot) {
  EXPECT_TRUE(IsActive(v1::APPOINTMENT_STATE_BOOKED));
  EXPECT_TRUE(IsActive(v1::APPOINTMENT_STATE_CONFIRMED));
  EXPECT_TRUE(IsActive(v1::APPOINTMENT_STATE_CHECKED_IN));
  EXPECT_FALSE(IsActive(v1::APPOINTMENT_STATE_COMPLETED));
  EXPECT_FALSE(IsActive(v1::APPOINTMENT_STATE_NO_SHOW));
  EXPECT_FALSE(IsActive(v1::APPOINTMENT_STATE_CANCELLED));
}

}  // namespace
}  // namespace clinic::appointments
