#include "services/booking/service.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "services/booking/contact_form.h"
#include "services/booking/online.h"
#include "services/common/server/client.h"
#include "services/common/server/log.h"
#include "services/common/status/errors.h"
#include "services/common/status/status.h"
#include "services/common/text/text.h"
#include "services/common/time/timestamps.h"

namespace clinic::booking {

namespace {

namespace av1 = ::clinic::appointments::v1;
namespace pv1 = ::clinic::patients::v1;

// Why BookOnline cancels a booking it could not complete.
constexpr char kUndoneReason[] =
    "The online booking could not be completed (no manage link)";
// How many times one BookOnline request books (once, and again after each
// booking undone). Retries of the request (the person's, and the gateway
// channel's: up to 4 a call) walk the keys undone before, so the bound is
// generous; it only stops a request that can never get a manage link.
constexpr int kMaxBookingAttempts = 20;

// Refusals of the services behind, reworded for the public: their messages
// name staff members and ids. Field errors keep their fields (renamed to the
// request's); reasons (SLOT_TAKEN) are kept for the page.
absl::Status Public(const absl::Status& s) {
  absl::Status out = ForThePublic(s);
  absl::Status worded;
  switch (s.code()) {
    case absl::StatusCode::kAlreadyExists:
      worded = absl::AlreadyExistsError(
          "That time was just taken. Please choose another time.");
      break;
    case absl::StatusCode::kFailedPrecondition:
      worded = absl::FailedPreconditionError(
          "That time cannot be booked online. Please choose another time or "
          "call us.");
      break;
    case absl::StatusCode::kNotFound:
      worded = absl::NotFoundError(
          "That location or kind of appointment does not exist (any more).");
      break;
    default:
      return out;
  }
  out.ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
    worded.SetPayload(url, payload);
  });
  return worded;
}

}  // namespace

BookingServiceImpl::BookingServiceImpl(const server::CallerVerifier* verifier,
                                       Backends backends,
                                       BookingServiceOptions options)
    : verifier_(verifier),
      screenings_(
          screenings::v1::ScreeningService::NewStub(backends.screenings)),
      types_(av1::AppointmentTypeService::NewStub(backends.appointments)),
      locations_(av1::LocationService::NewStub(backends.appointments)),
      appointments_(av1::AppointmentService::NewStub(backends.appointments)),
      patients_(pv1::PatientService::NewStub(backends.patients)),
      options_(std::move(options)),
      rpcs_(verifier, v1::BookingService::service_full_name(),
            server::RpcOptions{&pool_, nullptr}) {}

std::unique_ptr<grpc::ClientContext> BookingServiceImpl::Outbound(
    const server::Call& call) const {
  auto ctx = server::NewCallContext(options_.call_timeout);
  verifier_->Forward(call, *ctx);
  return ctx;
}

absl::StatusOr<std::vector<av1::AppointmentType>> BookingServiceImpl::AllTypes(
    const server::Call& call) const {
  av1::ListAppointmentTypesRequest req;
  req.set_page_size(200);
  av1::ListAppointmentTypesResponse resp;
  auto ctx = Outbound(call);
  absl::Status s = status::FromGrpcStatus(
      types_->ListAppointmentTypes(ctx.get(), req, &resp));
  if (!s.ok()) return s;
  return std::vector<av1::AppointmentType>(resp.appointment_types().begin(),
                                           resp.appointment_types().end());
}

absl::StatusOr<std::vector<av1::AppointmentType>>
BookingServiceImpl::BookableTypes(const server::Call& call) const {
  absl::StatusOr<std::vector<av1::AppointmentType>> all = AllTypes(call);
  if (!all.ok()) return all.status();
  std::vector<av1::AppointmentType> out;
  for (const av1::AppointmentType& t : *all) {
    if (t.active() && t.bookable_online()) out.push_back(t);
  }
  return out;
}

absl::StatusOr<av1::Appointment> BookingServiceImpl::Resolve(
    const server::Call& call, const std::string& token) const {
  av1::ResolveManageTokenRequest resolve;
  resolve.set_token(token);
  av1::ResolveManageTokenResponse resolved;
  auto ctx = Outbound(call);
  absl::Status s = status::FromGrpcStatus(
      appointments_->ResolveManageToken(ctx.get(), resolve, &resolved));
  if (!s.ok()) return s;  // NOT_FOUND is already worded for the public
  av1::GetAppointmentRequest get;
  get.set_name(resolved.appointment());
  av1::Appointment a;
  auto get_ctx = Outbound(call);
  s = status::FromGrpcStatus(
      appointments_->GetAppointment(get_ctx.get(), get, &a));
  if (!s.ok()) return Public(s);
  return a;
}

absl::StatusOr<v1::ManagedAppointment> BookingServiceImpl::Managed(
    const server::Call& call, const av1::Appointment& a) const {
  absl::StatusOr<std::vector<av1::AppointmentType>> types = AllTypes(call);
  if (!types.ok()) return Public(types.status());
  const av1::AppointmentType* type = nullptr;
  for (const av1::AppointmentType& t : *types) {
    if (t.name() == a.appointment_type()) type = &t;
  }
  av1::GetLocationRequest get_location;
  get_location.set_name(a.location());
  av1::Location location;
  auto ctx = Outbound(call);
  absl::Status s = status::FromGrpcStatus(
      locations_->GetLocation(ctx.get(), get_location, &location));
  if (!s.ok()) return Public(s);
  v1::ManagedAppointment m;
  m.set_summary(Confirmation(type ? type->display_name() : "Appointment",
                             location.display_name(), a.local_start(),
                             location.time_zone()));
  m.set_appointment_type(a.appointment_type());
  m.set_location(a.location());
  m.set_local_start(a.local_start());
  m.set_time_zone(location.time_zone());
  m.set_active(a.state() == av1::APPOINTMENT_STATE_BOOKED ||
               a.state() == av1::APPOINTMENT_STATE_CONFIRMED);
  m.set_cancelled(a.state() == av1::APPOINTMENT_STATE_CANCELLED);
  const absl::Duration notice =
      type ? absl::Seconds(type->min_notice().seconds()) : absl::ZeroDuration();
  m.set_changeable(m.active() && type != nullptr && type->bookable_online() &&
                   absl::Now() + notice <
                       absl::FromUnixSeconds(a.start_time().seconds()));
  return m;
}

grpc::ServerUnaryReactor* BookingServiceImpl::RequestContact(
    grpc::CallbackServerContext* context, const v1::RequestContactRequest* req,
    v1::RequestContactResponse* resp) {
  return rpcs_.Serve(
      context, "RequestContact", [=](const server::Call& call) -> absl::Status {
        if (absl::Status s = text::ValidateRequestId(req->request_id());
            !s.ok()) {
          return s;
        }
        if (IsAutomated(req->website())) {
          // Answered like a real submission, so a bot learns nothing.
          server::LogWarning("dropped a contact form with the honeypot filled");
          resp->set_message(kThanks);
          return absl::OkStatus();
        }
        screenings::v1::CreateContactRequestRequest create;
        create.set_request_id(req->request_id());
        *create.mutable_contact_request() = ToContactRequest(*req);
        auto ctx = server::NewCallContext(options_.call_timeout);
        verifier_->Forward(call, *ctx);
        screenings::v1::ContactRequest created;
        absl::Status s = status::FromGrpcStatus(
            screenings_->CreateContactRequest(ctx.get(), create, &created));
        if (!s.ok()) return ForTheForm(s);
        resp->set_message(kThanks);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* BookingServiceImpl::ListBookableTypes(
    grpc::CallbackServerContext* context, const v1::ListBookableTypesRequest*,
    v1::ListBookableTypesResponse* resp) {
  return rpcs_.Serve(
      context, "ListBookableTypes",
      [=](const server::Call& call) -> absl::Status {
        absl::StatusOr<std::vector<av1::AppointmentType>> types =
            BookableTypes(call);
        if (!types.ok()) return Public(types.status());
        for (const av1::AppointmentType& t : *types) {
          v1::BookableType* out = resp->add_types();
          out->set_name(t.name());
          out->set_display_name(t.display_name());
          out->set_minutes(static_cast<int>(t.duration().seconds() / 60));
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* BookingServiceImpl::FindOpenings(
    grpc::CallbackServerContext* context, const v1::FindOpeningsRequest* req,
    v1::FindOpeningsResponse* resp) {
  return rpcs_.Serve(
      context, "FindOpenings", [=](const server::Call& call) -> absl::Status {
        if (absl::Status s = CheckFindOpenings(*req); !s.ok()) return s;
        av1::FindAvailableSlotsRequest find;
        find.set_appointment_type(req->appointment_type());
        find.add_locations(req->location());
        *find.mutable_start_date() = req->start_date();
        *find.mutable_end_date() = req->end_date();
        find.set_max_slots(2000);
        av1::FindAvailableSlotsResponse found;
        auto ctx = Outbound(call);
        // Called anonymously: only online-bookable types, with their minimum
        // notice and days ahead (see FindAvailableSlots).
        absl::Status s = status::FromGrpcStatus(
            appointments_->FindAvailableSlots(ctx.get(), find, &found));
        if (!s.ok()) return Public(s);
        // One opening per start: which therapist is not the person's choice.
        for (const av1::Slot& slot : found.slots()) {
          if (resp->openings_size() > 0 &&
              resp->openings(resp->openings_size() - 1).local_start() ==
                  slot.local_start()) {
            continue;
          }
          v1::Opening* o = resp->add_openings();
          *o->mutable_start_time() = slot.start_time();
          o->set_local_start(slot.local_start());
          o->set_time_zone(slot.time_zone());
          o->set_therapist(slot.therapist());
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* BookingServiceImpl::BookOnline(
    grpc::CallbackServerContext* context, const v1::BookOnlineRequest* req,
    v1::BookOnlineResponse* resp) {
  return rpcs_.Serve(
      context, "BookOnline", [=](const server::Call& call) -> absl::Status {
        if (absl::Status s = CheckBookOnline(*req); !s.ok()) return s;
        if (IsAutomated(req->website())) {
          server::LogWarning(
              "refused an online booking with the honeypot "
              "filled");
          return absl::FailedPreconditionError(
              "We could not take this booking online. Please call us.");
        }
        // The names for the confirmation, and a type that is bookable.
        absl::StatusOr<std::vector<av1::AppointmentType>> types =
            BookableTypes(call);
        if (!types.ok()) return Public(types.status());
        const av1::AppointmentType* type = nullptr;
        for (const av1::AppointmentType& t : *types) {
          if (t.name() == req->appointment_type()) type = &t;
        }
        if (type == nullptr) {
          return status::InvalidField("appointment_type",
                                      "cannot be booked online");
        }
        av1::GetLocationRequest get_location;
        get_location.set_name(req->location());
        av1::Location location;
        auto location_ctx = Outbound(call);
        if (absl::Status s = status::FromGrpcStatus(locations_->GetLocation(
                location_ctx.get(), get_location, &location));
            !s.ok()) {
          return Public(s);
        }
        // 1. The patient: found by date of birth and email or phone, or made.
        pv1::FindOrCreatePatientRequest find;
        find.set_request_id(absl::StrCat(req->request_id(), "/patient"));
        pv1::Patient* p = find.mutable_patient();
        p->set_given_name(req->person().given_name());
        p->set_family_name(req->person().family_name());
        if (req->person().has_birth_date()) {
          *p->mutable_birth_date() = req->person().birth_date();
        }
        p->set_email(req->person().email());
        p->set_phone(req->person().phone());
        pv1::FindOrCreatePatientResponse patient;
        auto patient_ctx = Outbound(call);
        if (absl::Status s =
                status::FromGrpcStatus(patients_->FindOrCreatePatient(
                    patient_ctx.get(), find, &patient));
            !s.ok()) {
          return Public(s);
        }
        // At most a few upcoming online bookings per person (abuse); the one
        // this request makes (on a retry) does not count against itself.
        av1::ListAppointmentsRequest mine;
        mine.set_patient(patient.patient().name());
        *mine.mutable_start_time() = time::ToTimestamp(absl::Now());
        mine.set_page_size(50);
        av1::ListAppointmentsResponse upcoming;
        auto mine_ctx = Outbound(call);
        if (absl::Status s =
                status::FromGrpcStatus(appointments_->ListAppointments(
                    mine_ctx.get(), mine, &upcoming));
            !s.ok()) {
          return Public(s);
        }
        int online = 0;
        for (const av1::Appointment& u : upcoming.appointments()) {
          const bool this_one =
              u.therapist() == req->therapist() &&
              u.start_time().seconds() == req->start_time().seconds();
          if (!this_one && u.source() == av1::APPOINTMENT_SOURCE_ONLINE &&
              (u.state() == av1::APPOINTMENT_STATE_BOOKED ||
               u.state() == av1::APPOINTMENT_STATE_CONFIRMED)) {
            ++online;
          }
        }
        if (online >= kMaxUpcomingOnlineBookings) {
          return status::WithReason(
              absl::FailedPreconditionError(
                  "You already have several appointments booked online. "
                  "Please call us to book another."),
              {"TOO_MANY_ONLINE_BOOKINGS", "booking.clinic", {}});
        }
        // 2. The appointment; the database rules out a taken time. Keyed by
        // the request, so a retry finds the booking made before. A booking
        // undone below (step 3 failed) is made again under the next key.
        av1::Appointment booked;
        for (int attempt = 1;; ++attempt) {
          av1::BookAppointmentRequest book;
          book.set_request_id(
              attempt == 1
                  ? absl::StrCat(req->request_id(), "/book")
                  : absl::StrCat(req->request_id(), "/book-", attempt));
          av1::Appointment* a = book.mutable_appointment();
          a->set_patient(patient.patient().name());
          a->set_therapist(req->therapist());
          a->set_location(req->location());
          a->set_appointment_type(req->appointment_type());
          *a->mutable_start_time() = req->start_time();
          a->set_source(av1::APPOINTMENT_SOURCE_ONLINE);
          if (!req->campaign().empty()) {
            a->set_notes(absl::StrCat("Booked online from ", req->campaign()));
          }
          auto book_ctx = Outbound(call);
          if (absl::Status s =
                  status::FromGrpcStatus(appointments_->BookAppointment(
                      book_ctx.get(), book, &booked));
              !s.ok()) {
            return Public(s);
          }
          // Only a booking this service undid is made again; one the person
          // cancelled stays cancelled.
          if (booked.state() != av1::APPOINTMENT_STATE_CANCELLED ||
              booked.cancel_reason() != kUndoneReason) {
            break;
          }
          if (attempt == kMaxBookingAttempts) {
            return absl::UnavailableError(
                "We could not finish your booking. Please call us.");
          }
        }
        // 3. The manage link (the same token again on a retry). Without it
        // the person could not manage the booking and would not know it
        // stands: it is cancelled, and the person told to try again.
        av1::IssueManageTokenRequest issue;
        issue.set_appointment(booked.name());
        av1::IssueManageTokenResponse issued;
        auto issue_ctx = Outbound(call);
        if (absl::Status s =
                status::FromGrpcStatus(appointments_->IssueManageToken(
                    issue_ctx.get(), issue, &issued));
            !s.ok()) {
          server::LogError("online booking ", booked.name(),
                           " gets no manage link: ", s.ToString());
          av1::CancelAppointmentRequest cancel;
          cancel.set_name(booked.name());
          cancel.set_reason(kUndoneReason);
          av1::CancelAppointmentResponse cancelled;
          auto cancel_ctx = Outbound(call);
          if (absl::Status c =
                  status::FromGrpcStatus(appointments_->CancelAppointment(
                      cancel_ctx.get(), cancel, &cancelled));
              !c.ok()) {
            server::LogError("cannot undo online booking ", booked.name(), ": ",
                             c.ToString());
          }
          return absl::UnavailableError(
              "We could not finish your booking, so nothing is booked. "
              "Please try again.");
        }
        resp->set_manage_token(issued.token());
        resp->set_local_start(booked.local_start());
        resp->set_time_zone(location.time_zone());
        resp->set_confirmation(
            Confirmation(type->display_name(), location.display_name(),
                         booked.local_start(), location.time_zone()));
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* BookingServiceImpl::GetManagedAppointment(
    grpc::CallbackServerContext* context,
    const v1::GetManagedAppointmentRequest* req, v1::ManagedAppointment* resp) {
  return rpcs_.Serve(
      context, "GetManagedAppointment",
      [=](const server::Call& call) -> absl::Status {
        absl::StatusOr<av1::Appointment> a = Resolve(call, req->token());
        if (!a.ok()) return a.status();
        absl::StatusOr<v1::ManagedAppointment> m = Managed(call, *a);
        if (!m.ok()) return m.status();
        *resp = *std::move(m);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* BookingServiceImpl::RescheduleManagedAppointment(
    grpc::CallbackServerContext* context,
    const v1::RescheduleManagedAppointmentRequest* req,
    v1::ManagedAppointment* resp) {
  return rpcs_.Serve(
      context, "RescheduleManagedAppointment",
      [=](const server::Call& call) -> absl::Status {
        status::Violations v;
        v.Check(text::ValidateRequestId(req->request_id()));
        if (req->therapist().empty()) v.Add("therapist", "choose a time");
        if (!req->has_start_time()) v.Add("start_time", "choose a time");
        if (!v.empty()) return v.ToStatus();
        absl::StatusOr<av1::Appointment> a = Resolve(call, req->token());
        if (!a.ok()) return a.status();
        absl::StatusOr<v1::ManagedAppointment> before = Managed(call, *a);
        if (!before.ok()) return before.status();
        if (!before->changeable()) {
          return absl::FailedPreconditionError(
              "This appointment can no longer be changed online. Please call "
              "us.");
        }
        // The same type and location: only the time (and so perhaps the
        // therapist) changes. Online rules apply to this anonymous call.
        av1::RescheduleAppointmentRequest move;
        move.set_name(a->name());
        *move.mutable_start_time() = req->start_time();
        move.set_therapist(req->therapist());
        move.set_request_id(req->request_id());
        av1::Appointment moved;
        auto ctx = Outbound(call);
        absl::Status s = status::FromGrpcStatus(
            appointments_->RescheduleAppointment(ctx.get(), move, &moved));
        if (!s.ok()) return Public(s);
        absl::StatusOr<v1::ManagedAppointment> m = Managed(call, moved);
        if (!m.ok()) return m.status();
        *resp = *std::move(m);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* BookingServiceImpl::CancelManagedAppointment(
    grpc::CallbackServerContext* context,
    const v1::CancelManagedAppointmentRequest* req,
    v1::ManagedAppointment* resp) {
  return rpcs_.Serve(
      context, "CancelManagedAppointment",
      [=](const server::Call& call) -> absl::Status {
        absl::StatusOr<av1::Appointment> a = Resolve(call, req->token());
        if (!a.ok()) return a.status();
        absl::StatusOr<v1::ManagedAppointment> before = Managed(call, *a);
        if (!before.ok()) return before.status();
        if (before->cancelled()) {
          *resp = *std::move(before);
          return absl::OkStatus();
        }
        if (!before->changeable()) {
          return absl::FailedPreconditionError(
              "This appointment can no longer be cancelled online. Please "
              "call us.");
        }
        av1::CancelAppointmentRequest cancel;
        cancel.set_name(a->name());
        cancel.set_reason("Cancelled online with the manage link");
        av1::CancelAppointmentResponse cancelled;
        auto ctx = Outbound(call);
        absl::Status s = status::FromGrpcStatus(
            appointments_->CancelAppointment(ctx.get(), cancel, &cancelled));
        if (!s.ok()) return Public(s);
        absl::StatusOr<v1::ManagedAppointment> m =
            Managed(call, cancelled.appointment());
        if (!m.ok()) return m.status();
        *resp = *std::move(m);
        return absl::OkStatus();
      });
}

// ---- Waitlist offers.

absl::StatusOr<std::pair<std::string, av1::Location>> BookingServiceImpl::Names(
    const server::Call& call, const std::string& type,
    const std::string& location) const {
  av1::GetAppointmentTypeRequest get_type;
  get_type.set_name(type);
  av1::AppointmentType t;
  auto type_ctx = Outbound(call);
  absl::Status s = status::FromGrpcStatus(
      types_->GetAppointmentType(type_ctx.get(), get_type, &t));
  if (!s.ok()) return Public(s);
  av1::GetLocationRequest get_location;
  get_location.set_name(location);
  av1::Location l;
  auto ctx = Outbound(call);
  s = status::FromGrpcStatus(
      locations_->GetLocation(ctx.get(), get_location, &l));
  if (!s.ok()) return Public(s);
  return std::make_pair(t.display_name(), l);
}

grpc::ServerUnaryReactor* BookingServiceImpl::GetOffer(
    grpc::CallbackServerContext* context, const v1::GetOfferRequest* req,
    v1::OfferView* resp) {
  return rpcs_.Serve(
      context, "GetOffer", [=](const server::Call& call) -> absl::Status {
        av1::ResolveWaitlistOfferRequest resolve;
        resolve.set_token(req->token());
        av1::WaitlistOffer offer;
        auto ctx = Outbound(call);
        if (absl::Status s =
                status::FromGrpcStatus(appointments_->ResolveWaitlistOffer(
                    ctx.get(), resolve, &offer));
            !s.ok()) {
          return s;  // NOT_FOUND is worded for the public already
        }
        absl::StatusOr<std::pair<std::string, av1::Location>> names = Names(
            call, offer.slot().appointment_type(), offer.slot().location());
        if (!names.ok()) return names.status();
        const av1::Location& l = names->second;
        resp->set_summary(Confirmation(names->first, l.display_name(),
                                       offer.slot().local_start(),
                                       l.time_zone()));
        resp->set_local_start(offer.slot().local_start());
        resp->set_time_zone(l.time_zone());
        absl::TimeZone zone;
        if (!absl::LoadTimeZone(l.time_zone(), &zone)) {
          zone = absl::UTCTimeZone();
        }
        const absl::Time expire = time::FromTimestamp(offer.expire_time());
        resp->set_held_until(
            absl::StrCat(absl::FormatTime("%A ", expire, zone),
                         absl::ToCivilDay(expire, zone).day(),
                         absl::FormatTime(" %B at %I:%M %p", expire, zone)));
        if (offer.state() == av1::WaitlistOffer::ACCEPTED) {
          resp->set_state(v1::OfferView::TAKEN);
        } else if (offer.state() == av1::WaitlistOffer::LAPSED ||
                   expire <= absl::Now()) {
          resp->set_state(v1::OfferView::LAPSED);
        } else {
          resp->set_state(v1::OfferView::OPEN);
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* BookingServiceImpl::AcceptOffer(
    grpc::CallbackServerContext* context, const v1::AcceptOfferRequest* req,
    v1::BookOnlineResponse* resp) {
  return rpcs_.Serve(
      context, "AcceptOffer", [=](const server::Call& call) -> absl::Status {
        av1::AcceptWaitlistOfferRequest accept;
        accept.set_token(req->token());
        av1::Appointment booked;
        auto ctx = Outbound(call);
        if (absl::Status s = status::FromGrpcStatus(
                appointments_->AcceptWaitlistOffer(ctx.get(), accept, &booked));
            !s.ok()) {
          // NOT_FOUND and OFFER_LAPSED are worded for the person already.
          if (absl::IsNotFound(s) || absl::IsFailedPrecondition(s)) return s;
          return Public(s);
        }
        absl::StatusOr<std::pair<std::string, av1::Location>> names =
            Names(call, booked.appointment_type(), booked.location());
        if (!names.ok()) return names.status();
        resp->set_confirmation(
            Confirmation(names->first, names->second.display_name(),
                         booked.local_start(), names->second.time_zone()));
        resp->set_local_start(booked.local_start());
        resp->set_time_zone(names->second.time_zone());
        // The manage link; without it the booking still stands (the
        // confirmation email carries the link too).
        av1::IssueManageTokenRequest issue;
        issue.set_appointment(booked.name());
        av1::IssueManageTokenResponse issued;
        auto issue_ctx = Outbound(call);
        if (appointments_->IssueManageToken(issue_ctx.get(), issue, &issued)
                .ok()) {
          resp->set_manage_token(issued.token());
        }
        return absl::OkStatus();
      });
}

}  // namespace clinic::booking
