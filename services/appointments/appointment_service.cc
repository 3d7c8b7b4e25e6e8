#include "services/appointments/appointment_service.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/appointments/availability.h"
#include "services/appointments/manage_token.h"
#include "services/appointments/page_token.h"
#include "services/appointments/rules.h"
#include "services/appointments/slots/slots.h"
#include "services/appointments/store.h"
#include "services/appointments/validation.h"
#include "services/common/audit/audit.h"
#include "services/common/clients/patients.h"
#include "services/common/server/log.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"

namespace clinic::appointments {
namespace {

constexpr int kDefaultListSize = 100;
constexpr int kMaxListSize = 500;
constexpr int kDefaultWaitlistSize = 50;
constexpr int kMaxWaitlistSize = 200;

// OK if `patient` exists, asked as a staff caller. A service calling for a
// person (the booking service) found or created the patient it names.
absl::Status PatientExists(const SchedulingOptions& options,
                           const server::Caller& caller,
                           const std::string& field,
                           const std::string& patient) {
  if (options.patients == nullptr || caller.anonymous()) {
    return absl::OkStatus();
  }
  return clients::PatientExists(*options.patients, caller, field, patient);
}

// A schedule as the one-element list of schedules searched.
absl::StatusOr<std::vector<ScheduleRecord>> OneSchedule(
    absl::StatusOr<ScheduleRecord> schedule) {
  if (!schedule.ok()) return schedule.status();
  return std::vector<ScheduleRecord>{*std::move(schedule)};
}

}  // namespace

struct AppointmentServiceImpl::SlotContext {
  std::string therapist;
  std::string location_name;
  std::string location_id;
  v1::Location location;
  absl::TimeZone zone;
  std::string type_name;
  std::string type_id;
  v1::AppointmentType type;

  Claim ClaimAt(absl::Time start, absl::Time now) const {
    Claim c;
    c.therapist = therapist;
    c.location_id = location_id;
    c.type_id = type_id;
    c.start = start;
    c.end = start + FromProtoDuration(type.duration());
    c.buffer_before = FromProtoDuration(type.buffer_before());
    c.buffer_after = FromProtoDuration(type.buffer_after());
    c.zone = zone;
    c.now = now;
    return c;
  }
};

AppointmentServiceImpl::AppointmentServiceImpl(
    CatalogStore* catalog, BookingStore* bookings,
    const server::CallerVerifier* verifier, SchedulingOptions options)
    : catalog_(catalog),
      bookings_(bookings),
      rpcs_(verifier, v1::AppointmentService::service_full_name(),
            server::RpcOptions{
                nullptr,
                [this](const server::Call& call, const std::string& resource,
                       const absl::Status& result) {
                  RecordFailure(call, resource, result);
                }}),
      options_(std::move(options)) {}

absl::StatusOr<AppointmentServiceImpl::SlotContext>
AppointmentServiceImpl::CheckSlot(const server::Caller& caller,
                                  const std::string& prefix,
                                  const std::string& therapist_name,
                                  const std::string& location_name,
                                  const std::string& type_name,
                                  absl::Time start) const {
  SlotContext ctx;
  absl::StatusOr<std::string> therapist =
      ParseTherapist(absl::StrCat(prefix, "therapist"), therapist_name);
  if (!therapist.ok()) return therapist.status();
  ctx.therapist = *therapist;
  absl::StatusOr<std::string> location_id =
      ParseId(absl::StrCat(prefix, "location"), location_name, "locations");
  if (!location_id.ok()) return location_id.status();
  ctx.location_id = *location_id;
  ctx.location_name = absl::StrCat("locations/", *location_id);
  absl::StatusOr<std::string> type_id = ParseId(
      absl::StrCat(prefix, "appointment_type"), type_name, "appointmentTypes");
  if (!type_id.ok()) return type_id.status();
  ctx.type_id = *type_id;
  ctx.type_name = absl::StrCat("appointmentTypes/", *type_id);

  absl::StatusOr<v1::AppointmentType> type = catalog_->GetType(ctx.type_id);
  if (!type.ok()) return type.status();
  ctx.type = *std::move(type);
  if (!ctx.type.active()) {
    return absl::FailedPreconditionError(
        absl::StrCat(prefix, "appointment_type: ", ctx.type_name, " (",
                     ctx.type.display_name(), ") is retired"));
  }
  absl::StatusOr<v1::Location> location =
      catalog_->GetLocation(ctx.location_id);
  if (!location.ok()) return location.status();
  ctx.location = *std::move(location);
  absl::StatusOr<absl::TimeZone> zone =
      LoadZone("location.time_zone", ctx.location.time_zone());
  if (!zone.ok()) return zone.status();
  ctx.zone = *zone;

  // On the location's grid: a whole minute, a multiple of slot_minutes
  // after local midnight.
  const absl::TimeZone::CivilInfo local = ctx.zone.At(start);
  const int minute = local.cs.hour() * 60 + local.cs.minute();
  if (local.cs.second() != 0 || local.subsecond != absl::ZeroDuration() ||
      minute % ctx.location.slot_minutes() != 0) {
    return status::InvalidField(
        absl::StrCat(prefix, "start_time"),
        absl::StrCat(absl::FormatTime("%H:%M:%S", start, ctx.zone),
                     " is not on the ", ctx.location.slot_minutes(),
                     "-minute slot grid of ", ctx.location.display_name()));
  }
  const absl::Time now = options_.now();
  if (start < now) {
    return absl::FailedPreconditionError(
        absl::StrCat(prefix, "start_time: ", LocalStart(start, ctx.zone), " (",
                     ctx.zone.name(), ") is in the past"));
  }
  if (caller.anonymous()) {
    if (!ctx.type.bookable_online()) {
      return absl::FailedPreconditionError(
          absl::StrCat(prefix, "appointment_type: ", ctx.type.display_name(),
                       " cannot be booked online"));
    }
    if (start < now + FromProtoDuration(ctx.type.min_notice())) {
      return absl::FailedPreconditionError(absl::StrCat(
          prefix, "start_time: ", ctx.type.display_name(), " needs ",
          absl::FormatDuration(FromProtoDuration(ctx.type.min_notice())),
          " notice"));
    }
    if (start >= now + absl::Hours(24) * ctx.type.max_days_ahead()) {
      return absl::FailedPreconditionError(
          absl::StrCat(prefix, "start_time: ", ctx.type.display_name(),
                       " can be booked online at most ",
                       ctx.type.max_days_ahead(), " days ahead"));
    }
  }
  absl::StatusOr<ScheduleRecord> schedule =
      catalog_->GetSchedule(ctx.therapist);
  if (!schedule.ok()) return schedule.status();
  if (!CredentialsAllow(ctx.type, schedule->credentials
                                      ? &*schedule->credentials
                                      : nullptr)) {
    return absl::FailedPreconditionError(
        absl::StrCat(prefix, "therapist: this therapist may not deliver ",
                     ctx.type.display_name(), " (it needs one of ",
                     absl::StrJoin(ctx.type.allowed_credentials(), ", "), ")"));
  }
  slots::SlotRules rules = BuildRules(ctx.location, ctx.location_name, ctx.zone,
                                      ctx.type, schedule->schedule);
  if (!slots::IsOpenStart(rules, start)) {
    return absl::FailedPreconditionError(absl::StrCat(
        prefix, "start_time: ", LocalStart(start, ctx.zone), " to ",
        absl::FormatTime(
            "%H:%M", start + FromProtoDuration(ctx.type.duration()), ctx.zone),
        " (", ctx.zone.name(), ") is outside ", ctx.therapist, "'s hours at ",
        ctx.location.display_name()));
  }
  return ctx;
}

// ---- Availability.

grpc::ServerUnaryReactor* AppointmentServiceImpl::FindAvailableSlots(
    grpc::CallbackServerContext* context,
    const v1::FindAvailableSlotsRequest* req,
    v1::FindAvailableSlotsResponse* resp) {
  return rpcs_.Serve(
      context, "FindAvailableSlots",
      [=](const server::Call& caller) -> absl::Status {
        absl::StatusOr<SlotSearch> search = ParseSlotSearch(*req);
        if (!search.ok()) return search.status();
        absl::StatusOr<v1::AppointmentType> type =
            catalog_->GetType(search->type_id);
        if (!type.ok()) return type.status();
        if (absl::Status s = CheckSearchableType(*type, caller.anonymous());
            !s.ok()) {
          return s;
        }
        std::vector<SearchLocation> locations;
        for (const std::string& id : search->location_ids) {
          absl::StatusOr<v1::Location> l = catalog_->GetLocation(id);
          if (!l.ok()) return l.status();
          absl::StatusOr<absl::TimeZone> zone =
              LoadZone("location.time_zone", l->time_zone());
          if (!zone.ok()) return zone.status();
          locations.push_back(
              {absl::StrCat("locations/", id), *std::move(l), *zone});
        }
        absl::StatusOr<std::vector<ScheduleRecord>> schedules =
            search->therapist.empty()
                ? catalog_->ListSchedulesAt(search->location_ids)
                : OneSchedule(catalog_->GetSchedule(search->therapist));
        if (!schedules.ok()) return schedules.status();
        const std::vector<std::string> therapists =
            EligibleTherapists(*type, *schedules);
        if (therapists.empty()) return absl::OkStatus();
        const absl::Time now = options_.now();
        const slots::Interval window =
            BusyWindow(locations, search->first_day, search->last_day);
        absl::StatusOr<BusyMap> busy =
            bookings_->BusyIntervals(therapists, window.start, window.end, now);
        if (!busy.ok()) return busy.status();
        for (v1::Slot& slot : OpenSlots(*search, *type, locations, *schedules,
                                        *busy, now, caller.anonymous())) {
          *resp->add_slots() = std::move(slot);
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::HoldSlot(
    grpc::CallbackServerContext* context, const v1::HoldSlotRequest* req,
    v1::Hold* resp) {
  return rpcs_.Serve(
      context, "HoldSlot", [=](const server::Call& caller) -> absl::Status {
        if (absl::Status s = text::ValidateRequestId(req->request_id());
            !s.ok()) {
          return s;
        }
        if (!req->has_slot()) {
          return status::InvalidField("slot", "is required");
        }
        const v1::Slot& slot = req->slot();
        absl::StatusOr<absl::Time> start =
            ToTime("slot.start_time", slot.start_time());
        if (!start.ok()) return start.status();
        absl::StatusOr<SlotContext> ctx =
            CheckSlot(caller, "slot.", slot.therapist(), slot.location(),
                      slot.appointment_type(), *start);
        if (!ctx.ok()) return ctx.status();
        const absl::Time now = options_.now();
        absl::StatusOr<v1::Hold> hold =
            bookings_->Hold(ctx->ClaimAt(*start, now), now + options_.hold_ttl,
                            RequestKey{"HoldSlot", req->request_id(),
                                       db::DeterministicBytes(*req)});
        if (!hold.ok()) return hold.status();
        *resp = *std::move(hold);
        return absl::OkStatus();
      });
}

// ---- Bookings.

grpc::ServerUnaryReactor* AppointmentServiceImpl::BookAppointment(
    grpc::CallbackServerContext* context, const v1::BookAppointmentRequest* req,
    v1::Appointment* resp) {
  return rpcs_.Serve(
      context, "BookAppointment",
      [=](const server::Call& caller) -> absl::Status {
        if (absl::Status s = text::ValidateRequestId(req->request_id());
            !s.ok()) {
          return s;
        }
        if (!req->has_appointment()) {
          return status::InvalidField("appointment", "is required");
        }
        const v1::Appointment& a = req->appointment();
        NewAppointment n;
        absl::StatusOr<std::string> patient =
            ParsePatient("appointment.patient", a.patient());
        if (!patient.ok()) return patient.status();
        n.patient = *patient;
        absl::StatusOr<absl::Time> start =
            ToTime("appointment.start_time", a.start_time());
        if (!start.ok()) return start.status();
        if (text::CodePoints(a.notes()) > kMaxNotesLength) {
          return status::InvalidField(
              "appointment.notes",
              absl::StrCat("longer than ", kMaxNotesLength, " characters"));
        }
        n.notes = a.notes();
        if (!v1::AppointmentSource_IsValid(a.source())) {
          return status::InvalidField("appointment.source",
                                      "not a known source");
        }
        n.source = a.source();
        if (caller.anonymous()) {
          n.source = v1::APPOINTMENT_SOURCE_ONLINE;
        } else if (n.source == v1::APPOINTMENT_SOURCE_UNSPECIFIED) {
          n.source = v1::APPOINTMENT_SOURCE_FRONT_DESK;
        }
        n.creator = caller.anonymous() ? "online" : caller.staff;
        const audit::AuditContext audit = audit::ContextOf(caller);
        if (!req->hold().empty()) {
          absl::StatusOr<std::string> hold =
              ParseId("hold", req->hold(), "holds");
          if (!hold.ok()) return hold.status();
          n.hold_id = *hold;
        }
        absl::StatusOr<SlotContext> ctx =
            CheckSlot(caller, "appointment.", a.therapist(), a.location(),
                      a.appointment_type(), *start);
        if (!ctx.ok()) return ctx.status();
        n.claim = ctx->ClaimAt(*start, options_.now());
        if (absl::Status s = PatientExists(options_, caller,
                                           "appointment.patient", n.patient);
            !s.ok()) {
          return s;
        }
        absl::StatusOr<v1::Appointment> booked =
            bookings_->Book(n,
                            RequestKey{"BookAppointment", req->request_id(),
                                       db::DeterministicBytes(*req)},
                            &audit);
        if (!booked.ok()) return booked.status();
        *resp = *std::move(booked);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::GetAppointment(
    grpc::CallbackServerContext* context, const v1::GetAppointmentRequest* req,
    v1::Appointment* resp) {
  return rpcs_.Serve(context, "GetAppointment",
                     [=](const server::Call& caller) -> absl::Status {
                       const audit::AuditContext audit =
                           audit::ContextOf(caller);
                       absl::StatusOr<std::string> id =
                           ParseId("name", req->name(), "appointments");
                       if (!id.ok()) return id.status();
                       absl::StatusOr<v1::Appointment> a =
                           bookings_->GetAppointment(*id, &audit);
                       if (!a.ok()) return a.status();
                       *resp = *std::move(a);
                       return absl::OkStatus();
                     });
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::ListAppointments(
    grpc::CallbackServerContext* context,
    const v1::ListAppointmentsRequest* req,
    v1::ListAppointmentsResponse* resp) {
  return rpcs_.Serve(
      context, "ListAppointments",
      [=](const server::Call& caller) -> absl::Status {
        absl::StatusOr<int> size =
            server::PageSize(req->page_size(), kDefaultListSize, kMaxListSize);
        if (!size.ok()) return size.status();
        AppointmentQuery q;
        q.page.size = *size;
        for (int i = 0; i < req->locations_size(); ++i) {
          absl::StatusOr<std::string> id =
              ParseId(absl::StrCat("locations[", i, "]"), req->locations(i),
                      "locations");
          if (!id.ok()) return id.status();
          q.location_ids.push_back(*id);
        }
        if (!req->therapist().empty()) {
          absl::StatusOr<std::string> t =
              ParseTherapist("therapist", req->therapist());
          if (!t.ok()) return t.status();
          q.therapist = *t;
        }
        if (!req->patient().empty()) {
          absl::StatusOr<std::string> p =
              ParsePatient("patient", req->patient());
          if (!p.ok()) return p.status();
          q.patient = *p;
        }
        if (q.location_ids.empty() && q.therapist.empty() &&
            q.patient.empty()) {
          return status::InvalidField("locations",
                                      "set locations (with start_time and "
                                      "end_time), a therapist or a patient");
        }
        if (req->has_start_time()) {
          absl::StatusOr<absl::Time> t =
              ToTime("start_time", req->start_time());
          if (!t.ok()) return t.status();
          q.start_from = *t;
        }
        if (req->has_end_time()) {
          absl::StatusOr<absl::Time> t = ToTime("end_time", req->end_time());
          if (!t.ok()) return t.status();
          q.start_before = *t;
        }
        if (!q.location_ids.empty() &&
            (!q.start_from.has_value() || !q.start_before.has_value())) {
          return status::InvalidField(q.start_from ? "end_time" : "start_time",
                                      "is required with locations");
        }
        if (q.start_from && q.start_before) {
          if (*q.start_before <= *q.start_from) {
            return status::InvalidField("end_time", "must be after start_time");
          }
          if (!q.location_ids.empty() && *q.start_before - *q.start_from >
                                             absl::Hours(24) * kMaxListDays) {
            return status::InvalidField("end_time",
                                        absl::StrCat("at most ", kMaxListDays,
                                                     " days after start_time"));
          }
        }
        q.show_cancelled = req->show_cancelled();
        std::vector<std::string> locations = q.location_ids;
        std::sort(locations.begin(), locations.end());
        const std::string fingerprint = FilterFingerprint(
            {absl::StrJoin(locations, ","), q.therapist, q.patient,
             q.start_from ? absl::StrCat(absl::ToUnixMicros(*q.start_from))
                          : "",
             q.start_before ? absl::StrCat(absl::ToUnixMicros(*q.start_before))
                            : "",
             q.show_cancelled ? "c" : "-"});
        if (!req->page_token().empty()) {
          absl::StatusOr<std::vector<std::string>> after =
              DecodePageToken(req->page_token(), fingerprint, 2);
          if (!after.ok()) return after.status();
          q.page.after = *std::move(after);
        }
        const audit::AuditContext audit = audit::ContextOf(caller);
        absl::StatusOr<PageOf<v1::Appointment>> result =
            bookings_->ListAppointments(q, &audit);
        if (!result.ok()) return result.status();
        for (v1::Appointment& a : result->items) {
          *resp->add_appointments() = std::move(a);
        }
        if (!result->next.empty()) {
          resp->set_next_page_token(EncodePageToken(result->next, fingerprint));
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::RescheduleAppointment(
    grpc::CallbackServerContext* context,
    const v1::RescheduleAppointmentRequest* req, v1::Appointment* resp) {
  return rpcs_.Serve(
      context, "RescheduleAppointment",
      [=](const server::Call& caller) -> absl::Status {
        absl::StatusOr<std::string> id =
            ParseId("name", req->name(), "appointments");
        if (!id.ok()) return id.status();
        if (absl::Status s = text::ValidateRequestId(req->request_id());
            !s.ok()) {
          return s;
        }
        absl::StatusOr<absl::Time> start =
            ToTime("start_time", req->start_time());
        if (!start.ok()) return start.status();
        absl::StatusOr<v1::Appointment> current =
            bookings_->GetAppointment(*id);
        if (!current.ok()) return current.status();
        if (absl::StatusOr<v1::AppointmentState> next =
                Transition(current->state(), Verb::kReschedule);
            !next.ok()) {
          return next.status();
        }
        absl::StatusOr<SlotContext> ctx = CheckSlot(
            caller, "",
            req->therapist().empty() ? current->therapist() : req->therapist(),
            req->location().empty() ? current->location() : req->location(),
            current->appointment_type(), *start);
        if (!ctx.ok()) return ctx.status();
        const audit::AuditContext audit = audit::ContextOf(caller);
        absl::StatusOr<v1::Appointment> moved = bookings_->Reschedule(
            *id, ctx->ClaimAt(*start, options_.now()), req->etag(),
            RequestKey{"RescheduleAppointment", req->request_id(),
                       db::DeterministicBytes(*req)},
            &audit);
        if (!moved.ok()) return moved.status();
        *resp = *std::move(moved);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::ApplyVerb(
    grpc::CallbackServerContext* context, const char* method,
    const v1::AppointmentVerbRequest* req, Verb verb, v1::Appointment* resp) {
  return rpcs_.Serve(
      context, method,
      [=](const server::Call& caller) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(caller);
        absl::StatusOr<std::string> id =
            ParseId("name", req->name(), "appointments");
        if (!id.ok()) return id.status();
        const absl::Time now = options_.now();
        absl::StatusOr<v1::Appointment> changed = bookings_->ChangeState(
            *id, verb, req->etag(), "",
            [&](const v1::Appointment& a) -> absl::Status {
              if (verb == Verb::kCheckIn) {
                return InItsDay(DayAction::kCheckIn, a, now);
              }
              if (verb == Verb::kMarkNoShow) {
                return InItsDay(DayAction::kNoShow, a, now);
              }
              return absl::OkStatus();
            },
            &audit);
        if (!changed.ok()) return changed.status();
        *resp = *std::move(changed);
        return absl::OkStatus();
      },
      req->name());
}

absl::Status AppointmentServiceImpl::InItsDay(DayAction action,
                                              const v1::Appointment& a,
                                              absl::Time now) const {
  absl::StatusOr<v1::Location> l =
      catalog_->GetLocation(text::IdOf(a.location()));
  if (!l.ok()) return l.status();
  absl::StatusOr<absl::TimeZone> zone =
      LoadZone("location.time_zone", l->time_zone());
  if (!zone.ok()) return zone.status();
  return CheckDayWindow(action, now, FromProto(a.start_time()),
                        FromProto(a.end_time()), *zone);
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::UndoAppointmentStatus(
    grpc::CallbackServerContext* context,
    const v1::UndoAppointmentStatusRequest* req, v1::Appointment* resp) {
  return rpcs_.Serve(
      context, "UndoAppointmentStatus",
      [=](const server::Call& caller) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(caller);
        status::Violations v;
        absl::StatusOr<std::string> id =
            ParseId("name", req->name(), "appointments");
        v.Check(id.status());
        const std::string reason(absl::StripAsciiWhitespace(req->reason()));
        if (reason.empty()) {
          v.Add("reason", "say why it is undone");
        } else if (text::CodePoints(reason) > kMaxReasonLength) {
          v.Add("reason", absl::StrCat("write at most ", kMaxReasonLength,
                                       " characters"));
        }
        if (!v.empty()) return v.ToStatus();
        const absl::Time now = options_.now();
        absl::StatusOr<v1::Appointment> undone = bookings_->UndoState(
            *id, req->etag(), caller.staff, reason,
            [&](const v1::Appointment& a) {
              return InItsDay(DayAction::kUndo, a, now);
            },
            &audit);
        if (!undone.ok()) return undone.status();
        *resp = *std::move(undone);
        return absl::OkStatus();
      },
      req->name());
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::ListAppointmentEvents(
    grpc::CallbackServerContext* context,
    const v1::ListAppointmentEventsRequest* req,
    v1::ListAppointmentEventsResponse* resp) {
  return rpcs_.Serve(
      context, "ListAppointmentEvents",
      [=](const server::Call&) -> absl::Status {
        if (req->page_size() < 0 || req->page_size() > 1000) {
          return status::InvalidField("page_size", "0 to 1,000");
        }
        auto events = bookings_->Events(
            req->after(), req->page_size() == 0 ? 100 : req->page_size());
        if (!events.ok()) return events.status();
        for (v1::AppointmentEvent& e : events->first) {
          if (e.has_offer()) {
            e.set_offer_token(OfferToken(text::IdOf(e.offer().name())));
          }
          *resp->add_events() = std::move(e);
        }
        resp->set_next_cursor(events->second);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::ListAppointmentAuditEvents(
    grpc::CallbackServerContext* context,
    const audit::v1::ListAuditEventsRequest* req,
    audit::v1::ListAuditEventsResponse* resp) {
  return rpcs_.Serve(context, "ListAppointmentAuditEvents",
                     [=](const server::Call&) -> absl::Status {
                       absl::StatusOr<audit::v1::ListAuditEventsResponse> r =
                           bookings_->ListAuditEvents(*req);
                       if (!r.ok()) return r.status();
                       *resp = *std::move(r);
                       return absl::OkStatus();
                     });
}

void AppointmentServiceImpl::RecordFailure(const server::Call& call,
                                           const std::string& resource,
                                           const absl::Status& result) {
  // Only calls about appointments and waitlist entries are patient
  // information; the slot search and holds are not.
  if (call.method.find("Appointment") == std::string::npos &&
      call.method.find("Waitlist") == std::string::npos) {
    return;
  }
  absl::Status recorded = bookings_->RecordFailure(
      audit::ContextOf(call), resource.empty() ? "appointments" : resource,
      absl::StatusCodeToString(result.code()));
  if (!recorded.ok()) {
    server::LogError("cannot record an audit event: ", recorded.ToString());
  }
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::ConfirmAppointment(
    grpc::CallbackServerContext* context, const v1::AppointmentVerbRequest* req,
    v1::Appointment* resp) {
  return ApplyVerb(context, "ConfirmAppointment", req, Verb::kConfirm, resp);
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::CheckInAppointment(
    grpc::CallbackServerContext* context, const v1::AppointmentVerbRequest* req,
    v1::Appointment* resp) {
  return ApplyVerb(context, "CheckInAppointment", req, Verb::kCheckIn, resp);
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::CompleteAppointment(
    grpc::CallbackServerContext* context, const v1::AppointmentVerbRequest* req,
    v1::Appointment* resp) {
  return ApplyVerb(context, "CompleteAppointment", req, Verb::kComplete, resp);
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::MarkNoShow(
    grpc::CallbackServerContext* context, const v1::AppointmentVerbRequest* req,
    v1::Appointment* resp) {
  return ApplyVerb(context, "MarkNoShow", req, Verb::kMarkNoShow, resp);
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::CancelAppointment(
    grpc::CallbackServerContext* context,
    const v1::CancelAppointmentRequest* req,
    v1::CancelAppointmentResponse* resp) {
  return rpcs_.Serve(
      context, "CancelAppointment",
      [=](const server::Call& caller) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(caller);
        absl::StatusOr<std::string> id =
            ParseId("name", req->name(), "appointments");
        if (!id.ok()) return id.status();
        const std::string reason(absl::StripAsciiWhitespace(req->reason()));
        if (reason.empty()) {
          return status::InvalidField("reason", "is required");
        }
        if (text::CodePoints(reason) > kMaxReasonLength) {
          return status::InvalidField(
              "reason",
              absl::StrCat("longer than ", kMaxReasonLength, " characters"));
        }
        absl::StatusOr<v1::Appointment> cancelled = bookings_->ChangeState(
            *id, Verb::kCancel, req->etag(), reason,
            [](const v1::Appointment&) { return absl::OkStatus(); }, &audit);
        if (!cancelled.ok()) return cancelled.status();
        // The freed slot, for the waitlist (only if it is still ahead).
        const absl::Time start = FromProto(cancelled->start_time());
        if (start > options_.now()) {
          absl::StatusOr<v1::Location> l =
              catalog_->GetLocation(text::IdOf(cancelled->location()));
          absl::TimeZone zone;
          if (l.ok() && absl::LoadTimeZone(l->time_zone(), &zone)) {
            const absl::CivilSecond local = zone.At(start).cs;
            WaitlistQuery q;
            q.slot = WaitlistQuery::SlotFilter{
                cancelled->therapist(), text::IdOf(cancelled->location()),
                text::IdOf(cancelled->appointment_type()),
                absl::CivilDay(local),
                TimeOfDayOf(local.hour() * 60 + local.minute())};
            q.page.size = kMaxWaitlistSize;
            absl::StatusOr<PageOf<v1::WaitlistEntry>> matches =
                bookings_->ListWaitlistEntries(q);
            if (matches.ok()) {
              for (v1::WaitlistEntry& e : matches->items) {
                *resp->add_waitlist_matches() = std::move(e);
              }
            }
          }
        }
        *resp->mutable_appointment() = *std::move(cancelled);
        // The first match is offered the time now; a failure here is
        // retried by the timer (the freed time was recorded with the
        // cancellation).
        if (absl::StatusOr<int> offered = AdvanceWaitlistOffers();
            !offered.ok()) {
          server::LogWarning("waitlist offers: ", offered.status().ToString());
        }
        return absl::OkStatus();
      });
}

// ---- Waitlist.

grpc::ServerUnaryReactor* AppointmentServiceImpl::CreateWaitlistEntry(
    grpc::CallbackServerContext* context,
    const v1::CreateWaitlistEntryRequest* req, v1::WaitlistEntry* resp) {
  return rpcs_.Serve(
      context, "CreateWaitlistEntry",
      [=](const server::Call& caller) -> absl::Status {
        if (absl::Status s = text::ValidateRequestId(req->request_id());
            !s.ok()) {
          return s;
        }
        if (!req->has_entry()) {
          return status::InvalidField("entry", "is required");
        }
        v1::WaitlistEntry e = req->entry();
        absl::StatusOr<std::string> patient =
            ParsePatient("entry.patient", e.patient());
        if (!patient.ok()) return patient.status();
        e.set_patient(*patient);
        absl::StatusOr<std::string> location =
            ParseId("entry.location", e.location(), "locations");
        if (!location.ok()) return location.status();
        e.set_location(absl::StrCat("locations/", *location));
        absl::StatusOr<std::string> type = ParseId(
            "entry.appointment_type", e.appointment_type(), "appointmentTypes");
        if (!type.ok()) return type.status();
        e.set_appointment_type(absl::StrCat("appointmentTypes/", *type));
        if (!e.therapist().empty()) {
          absl::StatusOr<std::string> t =
              ParseTherapist("entry.therapist", e.therapist());
          if (!t.ok()) return t.status();
          e.set_therapist(*t);
        }
        if (!v1::TimeOfDayPreference_IsValid(e.time_of_day())) {
          return status::InvalidField("entry.time_of_day",
                                      "not a known preference");
        }
        if (!e.has_latest_date()) {
          return status::InvalidField("entry.latest_date", "is required");
        }
        if (absl::Status s = ValidateDate("entry.latest_date", e.latest_date());
            !s.ok()) {
          return s;
        }
        if (e.priority() < 0 || e.priority() > 100) {
          return status::InvalidField("entry.priority",
                                      "must be from 0 to 100");
        }
        if (text::CodePoints(e.notes()) > 500) {
          return status::InvalidField("entry.notes",
                                      "longer than 500 characters");
        }
        absl::StatusOr<v1::Location> l = catalog_->GetLocation(*location);
        if (!l.ok()) return l.status();
        absl::StatusOr<v1::AppointmentType> t = catalog_->GetType(*type);
        if (!t.ok()) return t.status();
        if (absl::Status s =
                PatientExists(options_, caller, "entry.patient", e.patient());
            !s.ok()) {
          return s;
        }
        const audit::AuditContext audit = audit::ContextOf(caller);
        absl::StatusOr<v1::WaitlistEntry> created =
            bookings_->CreateWaitlistEntry(
                e,
                RequestKey{"CreateWaitlistEntry", req->request_id(),
                           db::DeterministicBytes(*req)},
                &audit);
        if (!created.ok()) return created.status();
        *resp = *std::move(created);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::ListWaitlistEntries(
    grpc::CallbackServerContext* context,
    const v1::ListWaitlistEntriesRequest* req,
    v1::ListWaitlistEntriesResponse* resp) {
  return rpcs_.Serve(
      context, "ListWaitlistEntries",
      [=](const server::Call& caller) -> absl::Status {
        absl::StatusOr<int> size = server::PageSize(
            req->page_size(), kDefaultWaitlistSize, kMaxWaitlistSize);
        if (!size.ok()) return size.status();
        WaitlistQuery q;
        q.page.size = *size;
        if (!req->location().empty()) {
          absl::StatusOr<std::string> id =
              ParseId("location", req->location(), "locations");
          if (!id.ok()) return id.status();
          q.location_id = *id;
        }
        if (!req->appointment_type().empty()) {
          absl::StatusOr<std::string> id = ParseId(
              "appointment_type", req->appointment_type(), "appointmentTypes");
          if (!id.ok()) return id.status();
          q.type_id = *id;
        }
        std::string slot_key;
        if (req->has_slot()) {
          const v1::Slot& s = req->slot();
          WaitlistQuery::SlotFilter f;
          absl::StatusOr<std::string> location =
              ParseId("slot.location", s.location(), "locations");
          if (!location.ok()) return location.status();
          f.location_id = *location;
          absl::StatusOr<std::string> type =
              ParseId("slot.appointment_type", s.appointment_type(),
                      "appointmentTypes");
          if (!type.ok()) return type.status();
          f.type_id = *type;
          if (!s.therapist().empty()) {
            absl::StatusOr<std::string> t =
                ParseTherapist("slot.therapist", s.therapist());
            if (!t.ok()) return t.status();
            f.therapist = *t;
          }
          absl::StatusOr<absl::Time> start =
              ToTime("slot.start_time", s.start_time());
          if (!start.ok()) return start.status();
          absl::StatusOr<v1::Location> l = catalog_->GetLocation(f.location_id);
          if (!l.ok()) return l.status();
          absl::StatusOr<absl::TimeZone> zone =
              LoadZone("location.time_zone", l->time_zone());
          if (!zone.ok()) return zone.status();
          const absl::CivilSecond local = zone->At(*start).cs;
          f.local_day = absl::CivilDay(local);
          f.time_of_day = TimeOfDayOf(local.hour() * 60 + local.minute());
          slot_key = absl::StrCat(f.location_id, "/", f.type_id, "/",
                                  f.therapist, "/", absl::ToUnixMicros(*start));
          q.slot = f;
        }
        const std::string fingerprint =
            FilterFingerprint({q.location_id, q.type_id, slot_key});
        if (!req->page_token().empty()) {
          absl::StatusOr<std::vector<std::string>> after =
              DecodePageToken(req->page_token(), fingerprint, 3);
          if (!after.ok()) return after.status();
          q.page.after = *std::move(after);
        }
        const audit::AuditContext audit = audit::ContextOf(caller);
        absl::StatusOr<PageOf<v1::WaitlistEntry>> result =
            bookings_->ListWaitlistEntries(q, &audit);
        if (!result.ok()) return result.status();
        for (v1::WaitlistEntry& e : result->items) {
          *resp->add_entries() = std::move(e);
        }
        if (!result->next.empty()) {
          resp->set_next_page_token(EncodePageToken(result->next, fingerprint));
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::DeleteWaitlistEntry(
    grpc::CallbackServerContext* context,
    const v1::DeleteWaitlistEntryRequest* req,
    v1::DeleteWaitlistEntryResponse*) {
  return rpcs_.Serve(
      context, "DeleteWaitlistEntry",
      [=](const server::Call& caller) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(caller);
        absl::StatusOr<std::string> id =
            ParseId("name", req->name(), "waitlistEntries");
        if (!id.ok()) return id.status();
        return bookings_->DeleteWaitlistEntry(*id, &audit);
      },
      req->name());
}

// ---- Manage links.

namespace {

// One answer for every token that opens nothing: unknown, malformed or
// expired look alike.
absl::Status NoSuchLink() {
  return absl::NotFoundError(
      "This link does not open an appointment (any more).");
}

}  // namespace

grpc::ServerUnaryReactor* AppointmentServiceImpl::IssueManageToken(
    grpc::CallbackServerContext* context,
    const v1::IssueManageTokenRequest* req,
    v1::IssueManageTokenResponse* resp) {
  return rpcs_.Serve(
      context, "IssueManageToken", [=](const server::Call&) -> absl::Status {
        if (options_.manage_key.empty()) {
          return absl::FailedPreconditionError("manage links are not set up");
        }
        absl::StatusOr<std::string> id =
            ParseId("appointment", req->appointment(), "appointments");
        if (!id.ok()) return id.status();
        absl::StatusOr<v1::Appointment> a = bookings_->GetAppointment(*id);
        if (!a.ok()) return a.status();
        const std::string token = ManageToken(options_.manage_key, *id);
        const absl::Time expire = FromProto(a->end_time());
        if (absl::Status s =
                bookings_->SaveManageToken(ManageTokenHash(token), *id, expire);
            !s.ok()) {
          return s;
        }
        resp->set_token(token);
        *resp->mutable_expire_time() = a->end_time();
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::ResolveManageToken(
    grpc::CallbackServerContext* context,
    const v1::ResolveManageTokenRequest* req,
    v1::ResolveManageTokenResponse* resp) {
  return rpcs_.Serve(
      context, "ResolveManageToken", [=](const server::Call&) -> absl::Status {
        if (!LooksLikeManageToken(req->token())) return NoSuchLink();
        absl::StatusOr<std::string> id = bookings_->FindManageToken(
            ManageTokenHash(req->token()), options_.now());
        if (!id.ok()) {
          return absl::IsNotFound(id.status()) ? NoSuchLink() : id.status();
        }
        resp->set_appointment(absl::StrCat("appointments/", *id));
        return absl::OkStatus();
      });
}

// ---- Waitlist offers.

std::string AppointmentServiceImpl::OfferToken(
    const std::string& offer_id) const {
  return ManageToken(options_.manage_key, absl::StrCat("offer:", offer_id));
}

absl::StatusOr<int> AppointmentServiceImpl::AdvanceWaitlistOffers() {
  if (options_.manage_key.empty()) return 0;
  BookingStore::OfferPolicy policy;
  policy.hold = options_.offer_hold;
  policy.min_notice = options_.offer_min_notice;
  policy.token_hash = [this](const std::string& id) {
    return ManageTokenHash(OfferToken(id));
  };
  return bookings_->AdvanceOffers(policy, options_.now());
}

namespace {

absl::Status NoSuchOffer() {
  return absl::NotFoundError(
      "This link does not open an offer. Call the clinic to find a time.");
}

}  // namespace

grpc::ServerUnaryReactor* AppointmentServiceImpl::ListWaitlistOffers(
    grpc::CallbackServerContext* context,
    const v1::ListWaitlistOffersRequest* req,
    v1::ListWaitlistOffersResponse* resp) {
  return rpcs_.Serve(
      context, "ListWaitlistOffers",
      [=](const server::Call& caller) -> absl::Status {
        BookingStore::OfferQuery q;
        status::Violations v;
        if (!req->location().empty()) {
          absl::StatusOr<std::string> id =
              ParseId("location", req->location(), "locations");
          if (v.Check(id.status())) q.location_id = *id;
        }
        if (!req->waitlist_entry().empty()) {
          absl::StatusOr<std::string> id = ParseId(
              "waitlist_entry", req->waitlist_entry(), "waitlistEntries");
          if (v.Check(id.status())) q.entry_id = *id;
        }
        if (!req->patient().empty()) {
          absl::StatusOr<std::string> p =
              ParsePatient("patient", req->patient());
          if (v.Check(p.status())) q.patient = *p;
        }
        if (req->page_size() < 0 || req->page_size() > 200) {
          v.Add("page_size", "must be from 0 to 200");
        }
        if (req->location().empty() && req->waitlist_entry().empty() &&
            req->patient().empty()) {
          v.Add("location", "name a location, a waitlist entry or a patient");
        }
        if (!v.empty()) return v.ToStatus();
        q.limit = req->page_size() == 0 ? 50 : req->page_size();
        const audit::AuditContext audit = audit::ContextOf(caller);
        absl::StatusOr<std::vector<v1::WaitlistOffer>> offers =
            bookings_->ListOffers(q, &audit);
        if (!offers.ok()) return offers.status();
        for (v1::WaitlistOffer& o : *offers) *resp->add_offers() = std::move(o);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::ResolveWaitlistOffer(
    grpc::CallbackServerContext* context,
    const v1::ResolveWaitlistOfferRequest* req, v1::WaitlistOffer* resp) {
  return rpcs_.Serve(context, "ResolveWaitlistOffer",
                     [=](const server::Call&) -> absl::Status {
                       if (!LooksLikeManageToken(req->token()))
                         return NoSuchOffer();
                       absl::StatusOr<v1::WaitlistOffer> o =
                           bookings_->FindOffer(ManageTokenHash(req->token()));
                       if (!o.ok()) {
                         return absl::IsNotFound(o.status()) ? NoSuchOffer()
                                                             : o.status();
                       }
                       *resp = *std::move(o);
                       return absl::OkStatus();
                     });
}

grpc::ServerUnaryReactor* AppointmentServiceImpl::AcceptWaitlistOffer(
    grpc::CallbackServerContext* context,
    const v1::AcceptWaitlistOfferRequest* req, v1::Appointment* resp) {
  return rpcs_.Serve(
      context, "AcceptWaitlistOffer",
      [=](const server::Call& caller) -> absl::Status {
        if (!LooksLikeManageToken(req->token())) return NoSuchOffer();
        const audit::AuditContext audit = audit::ContextOf(caller);
        absl::StatusOr<v1::Appointment> a = bookings_->AcceptOffer(
            ManageTokenHash(req->token()), options_.now(), &audit);
        if (!a.ok()) {
          return absl::IsNotFound(a.status()) ? NoSuchOffer() : a.status();
        }
        *resp = *std::move(a);
        return absl::OkStatus();
      });
}

}  // namespace clinic::appointments
