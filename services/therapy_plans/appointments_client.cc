#include "services/therapy_plans/appointments_client.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "services/common/server/client.h"
#include "services/common/status/status.h"
#include "services/common/time/local_start.h"
#include "services/common/time/timestamps.h"

namespace clinic::therapy_plans {

namespace av1 = appointments::v1;

namespace {

// "2026-12-02T09:00" -> the civil day and minute of day.
bool ParseLocal(const std::string& s, absl::CivilDay* day, int* minute) {
  const std::optional<absl::CivilMinute> m = time::ParseLocalStart(s);
  if (!m) return false;
  *day = absl::CivilDay(*m);
  *minute = m->hour() * 60 + m->minute();
  return true;
}

Visit::State StateOf(av1::AppointmentState s) {
  switch (s) {
    case av1::APPOINTMENT_STATE_COMPLETED:
      return Visit::kCompleted;
    case av1::APPOINTMENT_STATE_NO_SHOW:
      return Visit::kNoShow;
    case av1::APPOINTMENT_STATE_CANCELLED:
      return Visit::kCancelled;
    default:
      return Visit::kBooked;
  }
}

}  // namespace

struct GrpcAppointmentsClient::Impl {
  std::unique_ptr<av1::AppointmentService::Stub> stub;
  const server::CallerVerifier* verifier;
  absl::Duration timeout;

  std::unique_ptr<grpc::ClientContext> Context(const server::Caller& c) {
    auto ctx = server::NewCallContext(timeout);
    verifier->Forward(c, *ctx);
    return ctx;
  }
};

GrpcAppointmentsClient::GrpcAppointmentsClient(
    std::shared_ptr<grpc::Channel> channel,
    const server::CallerVerifier* verifier, absl::Duration timeout)
    : impl_(new Impl{av1::AppointmentService::NewStub(std::move(channel)),
                     verifier, timeout}) {}

GrpcAppointmentsClient::~GrpcAppointmentsClient() = default;

absl::StatusOr<std::map<std::string, std::vector<Visit>>>
GrpcAppointmentsClient::Visits(const server::Caller& caller,
                               const VisitQuery& q) {
  std::map<std::string, std::vector<Visit>> out;
  av1::ListAppointmentsRequest req;
  req.set_patient(q.patient);
  req.set_therapist(q.therapist);
  req.set_show_cancelled(true);
  req.set_page_size(500);
  if (q.from != absl::InfinitePast()) {
    *req.mutable_start_time() = time::ToTimestamp(q.from);
  }
  if (q.to != absl::InfiniteFuture()) {
    *req.mutable_end_time() = time::ToTimestamp(q.to);
  }
  for (int page = 0; page < 100; ++page) {
    av1::ListAppointmentsResponse resp;
    auto ctx = impl_->Context(caller);
    if (absl::Status s = status::FromGrpcStatus(
            impl_->stub->ListAppointments(ctx.get(), req, &resp));
        !s.ok()) {
      return absl::Status(s.code(),
                          absl::StrCat("appointments service: ", s.message()));
    }
    for (const av1::Appointment& a : resp.appointments()) {
      Visit v;
      v.start = time::FromTimestamp(a.start_time());
      int minute = 0;
      ParseLocal(a.local_start(), &v.local_day, &minute);
      v.local_start = a.local_start();
      v.state = StateOf(a.state());
      v.therapist = a.therapist();
      out[a.patient()].push_back(std::move(v));
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return out;
}

absl::StatusOr<std::vector<OpenStart>> GrpcAppointmentsClient::OpenStarts(
    const server::Caller& caller, const std::string& type,
    const std::string& location, const std::string& therapist,
    absl::CivilDay first, absl::CivilDay last, std::string* time_zone) {
  std::vector<OpenStart> out;
  // At most 30 days a call: a full day offers up to ~40 starts, and a call
  // returns at most 2,000.
  for (absl::CivilDay from = first; from <= last; from += 30) {
    const absl::CivilDay to = std::min(last, from + 29);
    av1::FindAvailableSlotsRequest req;
    req.set_appointment_type(type);
    req.add_locations(location);
    req.set_therapist(therapist);
    req.mutable_start_date()->set_year(static_cast<int32_t>(from.year()));
    req.mutable_start_date()->set_month(from.month());
    req.mutable_start_date()->set_day(from.day());
    req.mutable_end_date()->set_year(static_cast<int32_t>(to.year()));
    req.mutable_end_date()->set_month(to.month());
    req.mutable_end_date()->set_day(to.day());
    req.set_max_slots(2000);
    av1::FindAvailableSlotsResponse resp;
    auto ctx = impl_->Context(caller);
    if (absl::Status s = status::FromGrpcStatus(
            impl_->stub->FindAvailableSlots(ctx.get(), req, &resp));
        !s.ok()) {
      return s;
    }
    for (const av1::Slot& slot : resp.slots()) {
      OpenStart o;
      o.start = time::FromTimestamp(slot.start_time());
      o.local_start = slot.local_start();
      if (!ParseLocal(slot.local_start(), &o.day, &o.minute_of_day)) continue;
      if (time_zone != nullptr) *time_zone = slot.time_zone();
      out.push_back(std::move(o));
    }
  }
  return out;
}

absl::StatusOr<std::string> GrpcAppointmentsClient::Book(
    const server::Caller& caller, const NewVisit& v) {
  av1::BookAppointmentRequest req;
  av1::Appointment* a = req.mutable_appointment();
  a->set_patient(v.patient);
  a->set_therapist(v.therapist);
  a->set_location(v.location);
  a->set_appointment_type(v.appointment_type);
  *a->mutable_start_time() = time::ToTimestamp(v.start);
  a->set_source(av1::APPOINTMENT_SOURCE_THERAPY_PLAN);
  a->set_notes(v.notes);
  req.set_request_id(v.request_id);
  av1::Appointment booked;
  auto ctx = impl_->Context(caller);
  if (absl::Status s = status::FromGrpcStatus(
          impl_->stub->BookAppointment(ctx.get(), req, &booked));
      !s.ok()) {
    return s;
  }
  return booked.name();
}

}  // namespace clinic::therapy_plans
