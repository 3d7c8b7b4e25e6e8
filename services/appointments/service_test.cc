// The four scheduling services over real gRPC (port 0) on a real
// PostgreSQL database: flows, and every refusal with its code and field.
#include <functional>
#include <pqxx/pqxx>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/appointments/manage_token.h"
#include "services/appointments/test_fixture.h"
#include "services/appointments/validation.h"
#include "services/common/server/client.h"
#include "services/common/status/errors.h"
#include "services/common/status/status.h"
#include "services/common/text/text.h"

namespace clinic::appointments {
namespace {

using grpc::StatusCode;

class ServiceTest : public SchedulingFixture {
 protected:
  void SetUp() override {
    SchedulingFixture::SetUp();
    CreateCatalog();
  }

  v1::BookAppointmentRequest BookRequest(absl::Time start) const {
    v1::BookAppointmentRequest req;
    v1::Appointment* a = req.mutable_appointment();
    a->set_patient(Patient(1));
    a->set_therapist(kTherapist);
    a->set_location(location_.name());
    a->set_appointment_type(type_.name());
    *a->mutable_start_time() = ToProto(start);
    return req;
  }

  grpc::Status Verb(const std::string& method, const std::string& name,
                    v1::Appointment* out) {
    v1::AppointmentVerbRequest req;
    req.set_name(name);
    auto ctx = Ctx();
    if (method == "confirm")
      return stub_->ConfirmAppointment(ctx.get(), req, out);
    if (method == "checkin")
      return stub_->CheckInAppointment(ctx.get(), req, out);
    if (method == "complete") {
      return stub_->CompleteAppointment(ctx.get(), req, out);
    }
    return stub_->MarkNoShow(ctx.get(), req, out);
  }

  v1::FindAvailableSlotsRequest FindRequest(int day_from, int day_to) const {
    v1::FindAvailableSlotsRequest req;
    req.set_appointment_type(type_.name());
    req.add_locations(location_.name());
    *req.mutable_start_date() = FromCivilDay(absl::CivilDay(2026, 3, day_from));
    *req.mutable_end_date() = FromCivilDay(absl::CivilDay(2026, 3, day_to));
    return req;
  }
};

void ExpectRefused(const grpc::Status& s, StatusCode code,
                   const std::string& prefix) {
  EXPECT_EQ(s.error_code(), code) << s.error_message();
  EXPECT_TRUE(absl::StartsWith(s.error_message(), prefix))
      << "want prefix '" << prefix << "', got '" << s.error_message() << "'";
}

TEST_F(ServiceTest, BookGetListAndLifecycle) {
  v1::Appointment a;
  grpc::Status s = Book(Patient(1), Local(2026, 3, 3, 9, 0), &a);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(a.state(), v1::APPOINTMENT_STATE_BOOKED);
  EXPECT_EQ(a.local_start(), "2026-03-03T09:00");
  EXPECT_EQ(a.source(), v1::APPOINTMENT_SOURCE_FRONT_DESK);
  EXPECT_EQ(a.creator(), "staff/22222222-2222-4222-8222-222222222222");
  EXPECT_EQ(FromProto(a.end_time()) - FromProto(a.start_time()),
            absl::Hours(1));

  v1::ListAppointmentsRequest list;
  list.add_locations(location_.name());
  *list.mutable_start_time() = ToProto(Local(2026, 3, 3, 0, 0));
  *list.mutable_end_time() = ToProto(Local(2026, 3, 4, 0, 0));
  v1::ListAppointmentsResponse listed;
  auto ctx = Ctx();
  ASSERT_TRUE(stub_->ListAppointments(ctx.get(), list, &listed).ok());
  ASSERT_EQ(listed.appointments_size(), 1);
  EXPECT_EQ(listed.appointments(0).name(), a.name());

  v1::Appointment out;
  ASSERT_TRUE(Verb("confirm", a.name(), &out).ok());
  EXPECT_EQ(out.state(), v1::APPOINTMENT_STATE_CONFIRMED);
  ExpectRefused(Verb("confirm", a.name(), &out),
                StatusCode::FAILED_PRECONDITION,
                "appointment is confirmed; cannot confirm");
  ExpectRefused(Verb("noshow", a.name(), &out), StatusCode::FAILED_PRECONDITION,
                "The appointment starts at 09:00; it can be marked as a "
                "no-show once it has started.");
  // Check-in belongs to the appointment's day (now is 2 March).
  ExpectRefused(Verb("checkin", a.name(), &out),
                StatusCode::FAILED_PRECONDITION,
                "Check-in opens on Tuesday 3 March, the day of the "
                "appointment.");
  SetNow(Local(2026, 3, 3, 8, 50));
  ExpectRefused(Verb("complete", a.name(), &out),
                StatusCode::FAILED_PRECONDITION,
                "appointment is confirmed; cannot complete");
  ASSERT_TRUE(Verb("checkin", a.name(), &out).ok());
  ASSERT_TRUE(Verb("complete", a.name(), &out).ok());
  EXPECT_EQ(out.state(), v1::APPOINTMENT_STATE_COMPLETED);
  v1::CancelAppointmentRequest cancel;
  cancel.set_name(a.name());
  cancel.set_reason("sick");
  v1::CancelAppointmentResponse cancelled;
  auto ctx2 = Ctx();
  ExpectRefused(stub_->CancelAppointment(ctx2.get(), cancel, &cancelled),
                StatusCode::FAILED_PRECONDITION,
                "appointment is completed; cannot cancel");
}

TEST_F(ServiceTest, AMistakenCheckInIsUndoneOnItsDayAndEverythingIsAudited) {
  v1::Appointment a;
  ASSERT_TRUE(Book(Patient(1), Local(2026, 3, 3, 9, 0), &a).ok());
  SetNow(Local(2026, 3, 3, 8, 55));
  v1::Appointment out;
  ASSERT_TRUE(Verb("confirm", a.name(), &out).ok());
  ASSERT_TRUE(Verb("checkin", a.name(), &out).ok());
  v1::UndoAppointmentStatusRequest undo;
  undo.set_name(a.name());
  auto c1 = Ctx();
  const grpc::Status no_reason =
      stub_->UndoAppointmentStatus(c1.get(), undo, &out);
  ASSERT_EQ(no_reason.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      status::FieldViolationsOf(status::FromGrpcStatus(no_reason))[0].field,
      "reason");
  undo.set_reason("Checked in the wrong patient");
  auto c2 = Ctx(api::v1::STAFF_ROLE_THERAPIST);
  ASSERT_TRUE(stub_->UndoAppointmentStatus(c2.get(), undo, &out).ok());
  // Back to the state before the check-in, and the undo is kept.
  EXPECT_EQ(out.state(), v1::APPOINTMENT_STATE_CONFIRMED);
  EXPECT_EQ(out.last_undo().undone_state(), v1::APPOINTMENT_STATE_CHECKED_IN);
  EXPECT_EQ(out.last_undo().reason(), "Checked in the wrong patient");
  EXPECT_EQ(out.last_undo().staff(),
            "staff/22222222-2222-4222-8222-222222222222");
  // Only a check-in or no-show is undone.
  auto c3 = Ctx();
  EXPECT_EQ(stub_->UndoAppointmentStatus(c3.get(), undo, &out).error_code(),
            StatusCode::FAILED_PRECONDITION);
  // A no-show, undone the same day; the next day is too late.
  SetNow(Local(2026, 3, 3, 9, 20));
  ASSERT_TRUE(Verb("noshow", a.name(), &out).ok());
  auto c4 = Ctx();
  ASSERT_TRUE(stub_->UndoAppointmentStatus(c4.get(), undo, &out).ok());
  EXPECT_EQ(out.state(), v1::APPOINTMENT_STATE_CONFIRMED);
  ASSERT_TRUE(Verb("noshow", a.name(), &out).ok());
  SetNow(Local(2026, 3, 4, 9, 0));
  auto c5 = Ctx();
  EXPECT_EQ(stub_->UndoAppointmentStatus(c5.get(), undo, &out).error_code(),
            StatusCode::FAILED_PRECONDITION);

  // The patient's audit trail has every call, newest first, with the
  // patient named; a front desk cannot read it.
  audit::v1::ListAuditEventsRequest list;
  list.set_resource(Patient(1));
  audit::v1::ListAuditEventsResponse events;
  auto c6 = Ctx(api::v1::STAFF_ROLE_ADMIN);
  ASSERT_TRUE(stub_->ListAppointmentAuditEvents(c6.get(), list, &events).ok());
  std::vector<std::string> actions;
  for (const auto& e : events.audit_events()) {
    actions.push_back(e.action().substr(e.action().find('/') + 1));
  }
  EXPECT_EQ(actions, (std::vector<std::string>{
                         "MarkNoShow", "UndoAppointmentStatus", "MarkNoShow",
                         "UndoAppointmentStatus", "CheckInAppointment",
                         "ConfirmAppointment", "BookAppointment"}));
  auto c7 = Ctx();
  EXPECT_EQ(
      stub_->ListAppointmentAuditEvents(c7.get(), list, &events).error_code(),
      StatusCode::PERMISSION_DENIED);
}

// The outbox in the order of transaction ids as numbers, across a change
// in their number of digits (as text, 10 sorts before 9: read that way, the
// cursor once jumped past events that then never made their message).
TEST_F(ServiceTest, TheOutboxOrdersTransactionsAsNumbers) {
  v1::Appointment a;
  ASSERT_TRUE(Book(Patient(1), Local(2026, 3, 3, 9, 0), &a).ok());
  pqxx::connection c(conninfo_);
  pqxx::work w(c);
  for (const char* txid : {"11", "9", "10", "8"}) {
    w.exec_params(
        "INSERT INTO appointments.events (txid, appointment_id, kind, body)"
        " VALUES ($1::xid8, $2::uuid, 1, '')",
        txid, text::IdOf(a.name()));
  }
  w.commit();
  std::vector<std::string> order;
  std::string after;
  for (int page = 0; page < 3; ++page) {
    v1::ListAppointmentEventsRequest req;
    req.set_after(after);
    req.set_page_size(2);
    v1::ListAppointmentEventsResponse resp;
    auto ctx = server::NewCallContext(absl::Seconds(10));
    server::Caller service;
    service.request_id = "outbox";
    verifier_.Forward(service, *ctx);
    ASSERT_TRUE(stub_->ListAppointmentEvents(ctx.get(), req, &resp).ok());
    for (const v1::AppointmentEvent& e : resp.events()) {
      order.push_back(e.cursor().substr(0, e.cursor().find(':')));
    }
    after = resp.next_cursor();
  }
  ASSERT_GE(order.size(), 5u);
  EXPECT_EQ(std::vector<std::string>(order.begin(), order.begin() + 4),
            (std::vector<std::string>{"8", "9", "10", "11"}));
  // Then the booking's own event, its transaction id far above.
  EXPECT_GT(std::stoll(order[4]), 11);
}

// The outbox: every change's event, in order, never one appearing
// before a cursor already handed out.
TEST_F(ServiceTest, TheOutboxListsEveryChangeInCommitOrder) {
  const auto events = [&](const std::string& after) {
    v1::ListAppointmentEventsRequest req;
    req.set_after(after);
    v1::ListAppointmentEventsResponse resp;
    auto ctx = server::NewCallContext(absl::Seconds(10));
    server::Caller service;  // a service calls anonymously
    service.request_id = "outbox";
    verifier_.Forward(service, *ctx);
    EXPECT_TRUE(stub_->ListAppointmentEvents(ctx.get(), req, &resp).ok());
    return resp;
  };
  v1::Appointment a;
  ASSERT_TRUE(Book(Patient(1), Local(2026, 3, 3, 9, 0), &a).ok());
  v1::Appointment out;
  ASSERT_TRUE(Verb("confirm", a.name(), &out).ok());
  v1::RescheduleAppointmentRequest move;
  move.set_name(a.name());
  *move.mutable_start_time() = ToProto(Local(2026, 3, 3, 14, 0));
  auto c1 = Ctx();
  ASSERT_TRUE(stub_->RescheduleAppointment(c1.get(), move, &out).ok());
  v1::CancelAppointmentRequest cancel;
  cancel.set_name(a.name());
  cancel.set_reason("Patient called");
  v1::CancelAppointmentResponse cancelled;
  auto c2 = Ctx();
  ASSERT_TRUE(stub_->CancelAppointment(c2.get(), cancel, &cancelled).ok());

  v1::ListAppointmentEventsResponse first = events("");
  ASSERT_EQ(first.events_size(), 4);
  EXPECT_EQ(first.events(0).kind(), v1::AppointmentEvent::BOOKED);
  EXPECT_EQ(first.events(1).kind(), v1::AppointmentEvent::CONFIRMED);
  EXPECT_EQ(first.events(2).kind(), v1::AppointmentEvent::RESCHEDULED);
  EXPECT_EQ(FromProto(first.events(2).previous_start_time()),
            Local(2026, 3, 3, 9, 0));
  EXPECT_EQ(first.events(2).appointment().local_start(), "2026-03-03T14:00");
  EXPECT_EQ(first.events(3).kind(), v1::AppointmentEvent::CANCELLED);
  EXPECT_EQ(first.events(3).actor(),
            "staff/22222222-2222-4222-8222-222222222222");
  EXPECT_EQ(events(first.next_cursor()).events_size(), 0);

  // A change still in flight (an open transaction that wrote its event)
  // holds back every later one: no event appears behind the cursor.
  pqxx::connection c(conninfo_);
  pqxx::work slow(c);
  slow.exec_params(
      "INSERT INTO appointments.events (appointment_id, kind, body)"
      " VALUES ($1::uuid, 1, '')",
      text::IdOf(a.name()));
  v1::Appointment b;
  ASSERT_TRUE(Book(Patient(2), Local(2026, 3, 4, 9, 0), &b).ok());
  EXPECT_EQ(events(first.next_cursor()).events_size(), 0);
  slow.commit();
  v1::ListAppointmentEventsResponse next = events(first.next_cursor());
  ASSERT_EQ(next.events_size(), 2);
  EXPECT_EQ(next.events(0).appointment().name(), "");  // the slow one
  EXPECT_EQ(next.events(1).appointment().name(), b.name());
  // A cursor that is not one is refused.
  v1::ListAppointmentEventsRequest bad;
  bad.set_after("x");
  v1::ListAppointmentEventsResponse resp;
  auto c3 = server::NewCallContext(absl::Seconds(10));
  server::Caller service;
  verifier_.Forward(service, *c3);
  EXPECT_EQ(stub_->ListAppointmentEvents(c3.get(), bad, &resp).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceTest, NoShowOnlyAfterStart) {
  v1::Appointment a;
  ASSERT_TRUE(Book(Patient(1), Local(2026, 3, 2, 9, 0), &a).ok());
  SetNow(Local(2026, 3, 2, 9, 20));
  v1::Appointment out;
  grpc::Status s = Verb("noshow", a.name(), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.state(), v1::APPOINTMENT_STATE_NO_SHOW);
}

TEST_F(ServiceTest, OverlapIsAlreadyExistsNamingTheSlot) {
  v1::Appointment a;
  ASSERT_TRUE(Book(Patient(1), Local(2026, 3, 3, 9, 0), &a).ok());
  // 10:00 is inside the 15-minute buffer after 09:00-10:00.
  v1::Appointment b;
  grpc::Status s = Book(Patient(2), Local(2026, 3, 3, 10, 0), &b);
  // In words, with no ids; the ids are in the reason's metadata.
  ExpectRefused(s, StatusCode::ALREADY_EXISTS,
                "The therapist is not free Tuesday 3 March at 10:00: another "
                "appointment from 09:00 to 10:15 (with the time kept free "
                "around it) is in the way. Choose another time.");
  const std::optional<status::Reason> why =
      status::ReasonOf(status::FromGrpcStatus(s));
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(why->reason, "SLOT_TAKEN");
  EXPECT_EQ(why->metadata.at("appointment"), a.name());
  EXPECT_EQ(why->metadata.at("other_end"), "2026-03-03T10:15");
  // 10:15 is free.
  ASSERT_TRUE(Book(Patient(2), Local(2026, 3, 3, 10, 15), &b).ok());
  // The same patient with another therapist at the same time.
  v1::Appointment c;
  s = Book(Patient(1), Local(2026, 3, 3, 9, 0), &c, "", "", kTherapist2);
  ExpectRefused(s, StatusCode::ALREADY_EXISTS,
                "The patient already has an appointment Tuesday 3 March at "
                "09:00, which overlaps this time.");
}

TEST_F(ServiceTest, CancelFreesTheSlotAndOffersItToTheBestMatch) {
  v1::Appointment a;
  ASSERT_TRUE(Book(Patient(1), Local(2026, 3, 10, 9, 0), &a).ok());
  auto add_entry = [&](int patient, int priority, v1::TimeOfDayPreference pref,
                       int latest_day) {
    v1::CreateWaitlistEntryRequest req;
    v1::WaitlistEntry* e = req.mutable_entry();
    e->set_patient(Patient(patient));
    e->set_location(location_.name());
    e->set_appointment_type(type_.name());
    e->set_time_of_day(pref);
    *e->mutable_latest_date() =
        FromCivilDay(absl::CivilDay(2026, 3, latest_day));
    e->set_priority(priority);
    v1::WaitlistEntry out;
    auto ctx = Ctx();
    grpc::Status s = stub_->CreateWaitlistEntry(ctx.get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  v1::WaitlistEntry low =
      add_entry(10, 1, v1::TIME_OF_DAY_PREFERENCE_MORNING, 20);
  v1::WaitlistEntry high =
      add_entry(11, 50, v1::TIME_OF_DAY_PREFERENCE_UNSPECIFIED, 20);
  add_entry(12, 90, v1::TIME_OF_DAY_PREFERENCE_EVENING, 20);  // wrong time
  add_entry(13, 90, v1::TIME_OF_DAY_PREFERENCE_MORNING, 5);   // too late
  v1::CancelAppointmentRequest cancel;
  cancel.set_name(a.name());
  v1::CancelAppointmentResponse resp;
  auto ctx = Ctx();
  ExpectRefused(stub_->CancelAppointment(ctx.get(), cancel, &resp),
                StatusCode::INVALID_ARGUMENT, "reason: is required");
  cancel.set_reason("Patient called");
  auto ctx2 = Ctx();
  ASSERT_TRUE(stub_->CancelAppointment(ctx2.get(), cancel, &resp).ok());
  EXPECT_EQ(resp.appointment().state(), v1::APPOINTMENT_STATE_CANCELLED);
  EXPECT_EQ(resp.appointment().cancel_reason(), "Patient called");
  ASSERT_EQ(resp.waitlist_matches_size(), 2);
  EXPECT_EQ(resp.waitlist_matches(0).name(), high.name());
  EXPECT_EQ(resp.waitlist_matches(1).name(), low.name());
  // The freed time is offered to the best match and held for them: nobody
  // else books it meanwhile.
  v1::ListWaitlistOffersRequest list;
  list.set_location(location_.name());
  v1::ListWaitlistOffersResponse offers;
  auto ctx3 = Ctx();
  ASSERT_TRUE(stub_->ListWaitlistOffers(ctx3.get(), list, &offers).ok());
  ASSERT_EQ(offers.offers_size(), 1);
  EXPECT_EQ(offers.offers(0).waitlist_entry(), high.name());
  EXPECT_EQ(offers.offers(0).patient(), Patient(11));
  EXPECT_EQ(offers.offers(0).state(), v1::WaitlistOffer::OFFERED);
  EXPECT_EQ(offers.offers(0).freed_by(), a.name());
  v1::Appointment b;
  EXPECT_EQ(Book(Patient(2), Local(2026, 3, 10, 9, 0), &b).error_code(),
            StatusCode::ALREADY_EXISTS);
}

TEST_F(ServiceTest, RescheduleMovesOrChangesNothing) {
  v1::Appointment a, b;
  ASSERT_TRUE(Book(Patient(1), Local(2026, 3, 3, 9, 0), &a).ok());
  ASSERT_TRUE(Book(Patient(2), Local(2026, 3, 3, 14, 0), &b).ok());
  v1::RescheduleAppointmentRequest req;
  req.set_name(a.name());
  *req.mutable_start_time() = ToProto(Local(2026, 3, 3, 14, 30));
  v1::Appointment out;
  auto ctx = Ctx();
  ExpectRefused(stub_->RescheduleAppointment(ctx.get(), req, &out),
                StatusCode::ALREADY_EXISTS, "The therapist is not free ");
  *req.mutable_start_time() = ToProto(Local(2026, 3, 3, 9, 30));
  auto ctx2 = Ctx();
  grpc::Status s = stub_->RescheduleAppointment(ctx2.get(), req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.local_start(), "2026-03-03T09:30");
  EXPECT_NE(out.etag(), a.etag());
  // A stale etag is ABORTED.
  req.set_etag(a.etag());
  *req.mutable_start_time() = ToProto(Local(2026, 3, 3, 10, 30));
  auto ctx3 = Ctx();
  EXPECT_EQ(stub_->RescheduleAppointment(ctx3.get(), req, &out).error_code(),
            StatusCode::ABORTED);
}

TEST_F(ServiceTest, FindAvailableSlotsRespectsHoursBreaksBookingsAndHolds) {
  v1::FindAvailableSlotsRequest req = FindRequest(3, 3);
  req.set_therapist(kTherapist);
  v1::FindAvailableSlotsResponse resp;
  auto ctx = Ctx();
  ASSERT_TRUE(stub_->FindAvailableSlots(ctx.get(), req, &resp).ok());
  // 08:00..11:00 (13 starts) and 13:00..17:00 (17 starts).
  EXPECT_EQ(resp.slots_size(), 13 + 17);
  EXPECT_EQ(resp.slots(0).local_start(), "2026-03-03T08:00");
  EXPECT_EQ(resp.slots(0).time_zone(), kZone);
  v1::Appointment a;
  ASSERT_TRUE(Book(Patient(1), Local(2026, 3, 3, 9, 0), &a).ok());
  v1::FindAvailableSlotsResponse after;
  auto ctx2 = Ctx();
  ASSERT_TRUE(stub_->FindAvailableSlots(ctx2.get(), req, &after).ok());
  // A new slot keeps its own 15-minute buffer after it too, so 08:00
  // (08:00-09:15) to 10:00 now overlap 09:00-10:15.
  for (const v1::Slot& slot : after.slots()) {
    EXPECT_FALSE(slot.local_start() < "2026-03-03T10:15") << slot.local_start();
  }
  EXPECT_EQ(after.slots_size(), 30 - 9);
  // A hold blocks its slot too.
  v1::HoldSlotRequest hold;
  *hold.mutable_slot() = after.slots(after.slots_size() - 1);
  v1::Hold h;
  auto ctx3 = Ctx();
  ASSERT_TRUE(stub_->HoldSlot(ctx3.get(), hold, &h).ok());
  EXPECT_EQ(FromProto(h.expire_time()), Now() + absl::Minutes(5));
  v1::FindAvailableSlotsResponse held;
  auto ctx4 = Ctx();
  ASSERT_TRUE(stub_->FindAvailableSlots(ctx4.get(), req, &held).ok());
  EXPECT_LT(held.slots_size(), after.slots_size());
  // Both therapists, earliest first.
  req.clear_therapist();
  v1::FindAvailableSlotsResponse both;
  auto ctx5 = Ctx();
  ASSERT_TRUE(stub_->FindAvailableSlots(ctx5.get(), req, &both).ok());
  EXPECT_GT(both.slots_size(), held.slots_size());
  for (int i = 1; i < both.slots_size(); ++i) {
    EXPECT_LE(FromProto(both.slots(i - 1).start_time()),
              FromProto(both.slots(i).start_time()));
  }
}

TEST_F(ServiceTest, ScheduleUpdateReportsConflictsAndValidateOnlySavesNothing) {
  v1::Appointment a;
  ASSERT_TRUE(Book(Patient(1), Local(2026, 3, 3, 16, 0), &a).ok());
  v1::GetProviderScheduleRequest get;
  get.set_name(absl::StrCat(kTherapist, "/schedule"));
  v1::ProviderSchedule current;
  auto ctx = Ctx();
  ASSERT_TRUE(
      schedule_stub_->GetProviderSchedule(ctx.get(), get, &current).ok());
  v1::ProviderSchedule shorter = current;
  for (v1::WorkingHours& h : *shorter.mutable_weekly_hours()) {
    h.mutable_end()->set_hours(15);
  }
  v1::UpdateProviderScheduleRequest req;
  *req.mutable_schedule() = shorter;
  req.set_validate_only(true);
  v1::UpdateProviderScheduleResponse resp;
  auto ctx2 = Ctx(api::v1::STAFF_ROLE_ADMIN);
  ASSERT_TRUE(
      schedule_stub_->UpdateProviderSchedule(ctx2.get(), req, &resp).ok());
  ASSERT_EQ(resp.conflicting_appointments_size(), 1);
  EXPECT_EQ(resp.conflicting_appointments(0).name(), a.name());
  v1::ProviderSchedule unchanged;
  auto ctx3 = Ctx();
  ASSERT_TRUE(
      schedule_stub_->GetProviderSchedule(ctx3.get(), get, &unchanged).ok());
  EXPECT_EQ(unchanged.etag(), current.etag());
  req.set_validate_only(false);
  auto ctx4 = Ctx(api::v1::STAFF_ROLE_ADMIN);
  ASSERT_TRUE(
      schedule_stub_->UpdateProviderSchedule(ctx4.get(), req, &resp).ok());
  EXPECT_NE(resp.schedule().etag(), current.etag());
  // The stale etag is refused now.
  auto ctx5 = Ctx(api::v1::STAFF_ROLE_ADMIN);
  EXPECT_EQ(schedule_stub_->UpdateProviderSchedule(ctx5.get(), req, &resp)
                .error_code(),
            StatusCode::ABORTED);
}

TEST_F(ServiceTest, CredentialsAreCheckedWhenKnown) {
  v1::AppointmentType t;
  {
    v1::CreateAppointmentTypeRequest req;
    req.mutable_appointment_type()->set_display_name("Re-evaluation");
    req.mutable_appointment_type()->mutable_duration()->set_seconds(45 * 60);
    req.mutable_appointment_type()->add_allowed_credentials("PT");
    req.mutable_appointment_type()->add_allowed_credentials("DPT");
    auto ctx = Ctx(api::v1::STAFF_ROLE_ADMIN);
    ASSERT_TRUE(type_stub_->CreateAppointmentType(ctx.get(), req, &t).ok());
  }
  v1::BookAppointmentRequest req = BookRequest(Local(2026, 3, 3, 9, 0));
  req.mutable_appointment()->set_appointment_type(t.name());
  v1::Appointment out;
  ASSERT_TRUE(
      catalog_->SetCredentials(kTherapist, std::vector<std::string>{"PTA"})
          .ok());
  auto ctx = Ctx();
  ExpectRefused(stub_->BookAppointment(ctx.get(), req, &out),
                StatusCode::FAILED_PRECONDITION,
                "appointment.therapist: this therapist may not deliver "
                "Re-evaluation (it needs one of PT, DPT)");
  ASSERT_TRUE(
      catalog_->SetCredentials(kTherapist, std::vector<std::string>{"dpt"})
          .ok());
  auto ctx2 = Ctx();
  EXPECT_TRUE(stub_->BookAppointment(ctx2.get(), req, &out).ok());
}

TEST_F(ServiceTest, BookingRefusals) {
  struct Case {
    std::string what;
    std::function<void(v1::BookAppointmentRequest&)> spoil;
    StatusCode code;
    std::string prefix;
  };
  const absl::Time ok_start = Local(2026, 3, 3, 9, 0);
  const std::vector<Case> cases = {
      {"no patient", [](auto& r) { r.mutable_appointment()->clear_patient(); },
       StatusCode::INVALID_ARGUMENT, "appointment.patient: is required"},
      {"bad therapist",
       [](auto& r) { r.mutable_appointment()->set_therapist("bob"); },
       StatusCode::INVALID_ARGUMENT, "appointment.therapist: must look like"},
      {"no start", [](auto& r) { r.mutable_appointment()->clear_start_time(); },
       StatusCode::INVALID_ARGUMENT, "appointment.start_time: is required"},
      {"off grid",
       [&](auto& r) {
         *r.mutable_appointment()->mutable_start_time() =
             ToProto(ok_start + absl::Minutes(7));
       },
       StatusCode::INVALID_ARGUMENT,
       "appointment.start_time: 09:07:00 is not on the 15-minute slot grid"},
      {"past",
       [&](auto& r) {
         *r.mutable_appointment()->mutable_start_time() =
             ToProto(Local(2026, 3, 1, 9, 0));
       },
       StatusCode::FAILED_PRECONDITION,
       "appointment.start_time: 2026-03-01T09:00 (America/Denver) is in the "
       "past"},
      {"outside hours",
       [&](auto& r) {
         *r.mutable_appointment()->mutable_start_time() =
             ToProto(Local(2026, 3, 3, 17, 30));
       },
       StatusCode::FAILED_PRECONDITION,
       absl::StrCat("appointment.start_time: 2026-03-03T17:30 to 18:30 "
                    "(America/Denver) is outside ",
                    kTherapist, "'s hours at Boulder – Pearl Street")},
      {"over the break",
       [&](auto& r) {
         *r.mutable_appointment()->mutable_start_time() =
             ToProto(Local(2026, 3, 3, 11, 30));
       },
       StatusCode::FAILED_PRECONDITION, "appointment.start_time: "},
      {"unknown location",
       [](auto& r) {
         r.mutable_appointment()->set_location(
             "locations/99999999-9999-4999-8999-999999999999");
       },
       StatusCode::NOT_FOUND, "that location does not exist"},
      {"unknown type",
       [](auto& r) {
         r.mutable_appointment()->set_appointment_type(
             "appointmentTypes/99999999-9999-4999-8999-999999999999");
       },
       StatusCode::NOT_FOUND, "that appointment type does not exist"},
      {"long notes",
       [](auto& r) {
         r.mutable_appointment()->set_notes(std::string(2001, 'x'));
       },
       StatusCode::INVALID_ARGUMENT, "appointment.notes: "},
      {"bad request id", [](auto& r) { r.set_request_id("a b"); },
       StatusCode::INVALID_ARGUMENT, "request_id: "},
      {"bad hold", [](auto& r) { r.set_hold("holds/1"); },
       StatusCode::INVALID_ARGUMENT, "hold: must look like holds/{uuid}"},
      {"missing hold",
       [](auto& r) {
         r.set_hold("holds/99999999-9999-4999-8999-999999999999");
       },
       StatusCode::FAILED_PRECONDITION, "hold: "},
  };
  for (const Case& c : cases) {
    v1::BookAppointmentRequest req = BookRequest(ok_start);
    c.spoil(req);
    v1::Appointment out;
    auto ctx = Ctx();
    SCOPED_TRACE(c.what);
    ExpectRefused(stub_->BookAppointment(ctx.get(), req, &out), c.code,
                  c.prefix);
  }
  // Without the gateway secret.
  v1::Appointment out;
  grpc::ClientContext bare;
  EXPECT_EQ(
      stub_->BookAppointment(&bare, BookRequest(ok_start), &out).error_code(),
      StatusCode::UNAUTHENTICATED);
}

TEST_F(ServiceTest, SearchAndListRefusals) {
  v1::FindAvailableSlotsResponse slots;
  auto find = [&](std::function<void(v1::FindAvailableSlotsRequest&)> spoil) {
    v1::FindAvailableSlotsRequest req = FindRequest(3, 10);
    spoil(req);
    auto ctx = Ctx();
    return stub_->FindAvailableSlots(ctx.get(), req, &slots);
  };
  ExpectRefused(
      find([](auto& r) {
        *r.mutable_end_date() = FromCivilDay(absl::CivilDay(2026, 3, 1));
      }),
      StatusCode::INVALID_ARGUMENT, "end_date: must not be before start_date");
  ExpectRefused(find([](auto& r) {
                  *r.mutable_end_date() =
                      FromCivilDay(absl::CivilDay(2026, 6, 30));
                }),
                StatusCode::INVALID_ARGUMENT, "end_date: at most 90 days");
  ExpectRefused(find([](auto& r) { r.clear_locations(); }),
                StatusCode::INVALID_ARGUMENT, "locations: ");
  ExpectRefused(find([](auto& r) { r.mutable_start_date()->set_month(13); }),
                StatusCode::INVALID_ARGUMENT, "start_date: ");
  ExpectRefused(find([](auto& r) { r.set_max_slots(-1); }),
                StatusCode::INVALID_ARGUMENT, "max_slots: ");

  v1::ListAppointmentsResponse listed;
  auto list = [&](std::function<void(v1::ListAppointmentsRequest&)> fill) {
    v1::ListAppointmentsRequest req;
    fill(req);
    auto ctx = Ctx();
    return stub_->ListAppointments(ctx.get(), req, &listed);
  };
  ExpectRefused(list([](auto&) {}), StatusCode::INVALID_ARGUMENT,
                "locations: ");
  ExpectRefused(list([&](auto& r) { r.add_locations(location_.name()); }),
                StatusCode::INVALID_ARGUMENT, "start_time: is required");
  ExpectRefused(list([&](auto& r) {
                  r.add_locations(location_.name());
                  *r.mutable_start_time() = ToProto(Local(2026, 3, 3, 0, 0));
                  *r.mutable_end_time() = ToProto(Local(2026, 3, 2, 0, 0));
                }),
                StatusCode::INVALID_ARGUMENT, "end_time: must be after");
  ExpectRefused(list([&](auto& r) {
                  r.add_locations(location_.name());
                  *r.mutable_start_time() = ToProto(Local(2026, 3, 3, 0, 0));
                  *r.mutable_end_time() = ToProto(Local(2026, 9, 3, 0, 0));
                }),
                StatusCode::INVALID_ARGUMENT, "end_time: at most 92 days");
}

TEST_F(ServiceTest, ListPagesByStartTime) {
  for (int i = 0; i < 5; ++i) {
    v1::Appointment a;
    ASSERT_TRUE(Book(Patient(i),
                     Local(2026, 3, 3, 8 + i * 2 - (i >= 2 ? 0 : 0), 0) +
                         absl::Minutes(i >= 2 ? 60 : 0),
                     &a)
                    .ok());
  }
  v1::ListAppointmentsRequest req;
  req.set_therapist(kTherapist);
  req.set_page_size(2);
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    v1::ListAppointmentsResponse resp;
    auto ctx = Ctx();
    grpc::Status s = stub_->ListAppointments(ctx.get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const auto& a : resp.appointments()) seen.push_back(a.local_start());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  req.set_patient(Patient(1));
  v1::ListAppointmentsResponse resp;
  auto ctx = Ctx();
  ExpectRefused(stub_->ListAppointments(ctx.get(), req, &resp),
                StatusCode::INVALID_ARGUMENT, "page_token: ");
}

TEST_F(ServiceTest, CatalogRefusalsAndUpdates) {
  auto create_location = [&](std::function<void(v1::Location&)> spoil) {
    v1::CreateLocationRequest req;
    *req.mutable_location() = location_;
    spoil(*req.mutable_location());
    v1::Location out;
    auto ctx = Ctx(api::v1::STAFF_ROLE_ADMIN);
    return location_stub_->CreateLocation(ctx.get(), req, &out);
  };
  ExpectRefused(
      create_location([](auto& l) { l.set_time_zone("Mars/Olympus"); }),
      StatusCode::INVALID_ARGUMENT,
      "location.time_zone: unknown IANA time zone");
  ExpectRefused(create_location([](auto& l) { l.set_slot_minutes(7); }),
                StatusCode::INVALID_ARGUMENT, "location.slot_minutes: ");
  ExpectRefused(create_location([](auto& l) {
                  l.mutable_opening_hours(0)->mutable_close()->set_hours(6);
                }),
                StatusCode::INVALID_ARGUMENT,
                "location.opening_hours[0].close: must be after open");
  ExpectRefused(create_location([](auto& l) {
                  l.mutable_opening_hours(0)->mutable_open()->set_minutes(7);
                }),
                StatusCode::INVALID_ARGUMENT, "location.opening_hours[0]: ");
  // A front-desk caller may not create locations.
  {
    v1::CreateLocationRequest req;
    *req.mutable_location() = location_;
    v1::Location out;
    auto ctx = Ctx();
    EXPECT_EQ(location_stub_->CreateLocation(ctx.get(), req, &out).error_code(),
              StatusCode::PERMISSION_DENIED);
  }
  auto create_type = [&](std::function<void(v1::AppointmentType&)> spoil) {
    v1::CreateAppointmentTypeRequest req;
    *req.mutable_appointment_type() = type_;
    spoil(*req.mutable_appointment_type());
    v1::AppointmentType out;
    auto ctx = Ctx(api::v1::STAFF_ROLE_ADMIN);
    return type_stub_->CreateAppointmentType(ctx.get(), req, &out);
  };
  ExpectRefused(
      create_type([](auto& t) { t.mutable_duration()->set_seconds(0); }),
      StatusCode::INVALID_ARGUMENT, "appointment_type.duration: ");
  ExpectRefused(
      create_type([](auto& t) { t.mutable_duration()->set_seconds(-600); }),
      StatusCode::INVALID_ARGUMENT, "appointment_type.duration: ");
  ExpectRefused(
      create_type([](auto& t) { t.mutable_duration()->set_seconds(90); }),
      StatusCode::INVALID_ARGUMENT,
      "appointment_type.duration: must be a whole number of minutes");
  ExpectRefused(create_type([](auto& t) { t.set_color("blue"); }),
                StatusCode::INVALID_ARGUMENT, "appointment_type.color: ");
  // Update under the etag.
  v1::UpdateLocationRequest up;
  up.mutable_location()->set_name(location_.name());
  up.mutable_location()->set_etag(location_.etag());
  up.mutable_location()->set_phone("+1 303 555 0100");
  up.mutable_update_mask()->add_paths("phone");
  v1::Location updated;
  auto ctx = Ctx(api::v1::STAFF_ROLE_ADMIN);
  ASSERT_TRUE(location_stub_->UpdateLocation(ctx.get(), up, &updated).ok());
  EXPECT_EQ(updated.phone(), "+1 303 555 0100");
  EXPECT_EQ(updated.opening_hours_size(), 7);
  auto ctx2 = Ctx(api::v1::STAFF_ROLE_ADMIN);
  EXPECT_EQ(
      location_stub_->UpdateLocation(ctx2.get(), up, &updated).error_code(),
      StatusCode::ABORTED);
  // Schedule refusals.
  v1::UpdateProviderScheduleRequest sr;
  *sr.mutable_schedule() = WeeklySchedule(kTherapist2);
  sr.mutable_schedule()->mutable_weekly_hours(0)->mutable_end()->set_hours(7);
  v1::UpdateProviderScheduleResponse sresp;
  auto ctx3 = Ctx(api::v1::STAFF_ROLE_ADMIN);
  ExpectRefused(schedule_stub_->UpdateProviderSchedule(ctx3.get(), sr, &sresp),
                StatusCode::INVALID_ARGUMENT,
                "schedule.weekly_hours[0].end: must be after start");
}

TEST_F(ServiceTest, IdempotentCreateLocation) {
  v1::CreateLocationRequest req;
  *req.mutable_location() = location_;
  req.mutable_location()->set_display_name("Denver – Highlands");
  req.set_request_id("loc-1");
  v1::Location a, b;
  auto ctx = Ctx(api::v1::STAFF_ROLE_ADMIN);
  ASSERT_TRUE(location_stub_->CreateLocation(ctx.get(), req, &a).ok());
  auto ctx2 = Ctx(api::v1::STAFF_ROLE_ADMIN);
  ASSERT_TRUE(location_stub_->CreateLocation(ctx2.get(), req, &b).ok());
  EXPECT_EQ(a.name(), b.name());
  req.mutable_location()->set_display_name("Other");
  auto ctx3 = Ctx(api::v1::STAFF_ROLE_ADMIN);
  ExpectRefused(location_stub_->CreateLocation(ctx3.get(), req, &b),
                StatusCode::INVALID_ARGUMENT, "request_id: ");
}

}  // namespace
}  // namespace clinic::appointments

namespace clinic::appointments {
namespace {

TEST_F(ServiceTest, ManageTokensOpenOneAppointmentUntilItEnds) {
  v1::Appointment a;
  ASSERT_TRUE(Book(Patient(7), Local(2026, 3, 3, 9, 0), &a).ok());
  v1::IssueManageTokenRequest issue;
  issue.set_appointment(a.name());
  v1::IssueManageTokenResponse first, again;
  auto c1 = Ctx();
  ASSERT_TRUE(stub_->IssueManageToken(c1.get(), issue, &first).ok());
  auto c2 = Ctx();
  ASSERT_TRUE(stub_->IssueManageToken(c2.get(), issue, &again).ok());
  EXPECT_EQ(first.token(), again.token());  // a retry gets the same link
  EXPECT_EQ(first.token().size(), 43u);
  // Only the hash is stored.
  {
    pqxx::connection c(conninfo_);
    pqxx::nontransaction n(c);
    EXPECT_EQ(
        n.exec1("SELECT count(*) FROM appointments.manage_tokens")[0].as<int>(),
        1);
    EXPECT_EQ(n.exec_params1("SELECT count(*) FROM appointments.manage_tokens "
                             "WHERE position($1::bytea in token_hash) > 0",
                             first.token())[0]
                  .as<int>(),
              0);
  }
  auto resolve = [&](const std::string& token,
                     v1::ResolveManageTokenResponse* out) {
    v1::ResolveManageTokenRequest r;
    r.set_token(token);
    auto ctx = Ctx();
    return stub_->ResolveManageToken(ctx.get(), r, out);
  };
  v1::ResolveManageTokenResponse out;
  ASSERT_TRUE(resolve(first.token(), &out).ok());
  EXPECT_EQ(out.appointment(), a.name());
  // Guessed, malformed, another key's: one answer.
  const std::string message =
      "This link does not open an appointment (any more).";
  std::string guessed = first.token();
  guessed[0] = guessed[0] == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {guessed, std::string("short"), first.token() + "=",
        ManageToken("another key", a.name().substr(13))}) {
    grpc::Status s = resolve(bad, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << bad;
    EXPECT_EQ(s.error_message(), message) << bad;
  }
  // After the appointment's end: the same answer.
  SetNow(FromProto(a.end_time()) + absl::Seconds(1));
  grpc::Status s = resolve(first.token(), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), message);
}

}  // namespace
}  // namespace clinic::appointments
