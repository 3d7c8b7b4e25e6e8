#include "services/appointments/state_machine.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace clinic::appointments {
namespace {

using v1::AppointmentState;

struct Edge {
  Verb verb;
  AppointmentState from;
  AppointmentState to;
};

// Every allowed transition; anything else is refused.
constexpr Edge kEdges[] = {
    {Verb::kConfirm, v1::APPOINTMENT_STATE_BOOKED,
     v1::APPOINTMENT_STATE_CONFIRMED},
    {Verb::kCheckIn, v1::APPOINTMENT_STATE_BOOKED,
     v1::APPOINTMENT_STATE_CHECKED_IN},
    {Verb::kCheckIn, v1::APPOINTMENT_STATE_CONFIRMED,
     v1::APPOINTMENT_STATE_CHECKED_IN},
    {Verb::kComplete, v1::APPOINTMENT_STATE_CHECKED_IN,
     v1::APPOINTMENT_STATE_COMPLETED},
    {Verb::kMarkNoShow, v1::APPOINTMENT_STATE_BOOKED,
     v1::APPOINTMENT_STATE_NO_SHOW},
    {Verb::kMarkNoShow, v1::APPOINTMENT_STATE_CONFIRMED,
     v1::APPOINTMENT_STATE_NO_SHOW},
    {Verb::kCancel, v1::APPOINTMENT_STATE_BOOKED,
     v1::APPOINTMENT_STATE_CANCELLED},
    {Verb::kCancel, v1::APPOINTMENT_STATE_CONFIRMED,
     v1::APPOINTMENT_STATE_CANCELLED},
    {Verb::kReschedule, v1::APPOINTMENT_STATE_BOOKED,
     v1::APPOINTMENT_STATE_BOOKED},
    {Verb::kReschedule, v1::APPOINTMENT_STATE_CONFIRMED,
     v1::APPOINTMENT_STATE_CONFIRMED},
};

}  // namespace

const char* VerbName(Verb verb) {
  switch (verb) {
    case Verb::kConfirm:
      return "confirm";
    case Verb::kCheckIn:
      return "check in";
    case Verb::kComplete:
      return "complete";
    case Verb::kMarkNoShow:
      return "mark no-show";
    case Verb::kCancel:
      return "cancel";
    case Verb::kReschedule:
      return "reschedule";
  }
  return "change";
}

std::string StateName(AppointmentState state) {
  if (!v1::AppointmentState_IsValid(state) ||
      state == v1::APPOINTMENT_STATE_UNSPECIFIED) {
    return "in an unknown state";
  }
  std::string name = v1::AppointmentState_Name(state);
  name = name.substr(sizeof("APPOINTMENT_STATE_") - 1);
  absl::AsciiStrToLower(&name);
  return absl::StrReplaceAll(name, {{"_", " "}});
}

bool IsActive(AppointmentState state) {
  return state == v1::APPOINTMENT_STATE_BOOKED ||
         state == v1::APPOINTMENT_STATE_CONFIRMED ||
         state == v1::APPOINTMENT_STATE_CHECKED_IN;
}

absl::StatusOr<AppointmentState> Transition(AppointmentState from, Verb verb) {
  for (const Edge& e : kEdges) {
    if (e.verb == verb && e.from == from) return e.to;
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "appointment is ", StateName(from), "; cannot ", VerbName(verb)));
}

}  // namespace clinic::appointments
