#include "services/notifications/service.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "services/common/crypto/hmac.h"
#include "services/common/crypto/random_token.h"
#include "services/common/server/client.h"
#include "services/common/status/errors.h"
#include "services/common/status/status.h"
#include "services/common/text/text.h"
#include "services/common/time/timestamps.h"
#include "services/notifications/render.h"
#include "services/notifications/unsubscribe.h"

namespace clinic::notifications {

namespace av1 = appointments::v1;

struct NotificationServiceImpl::Stubs {
  std::unique_ptr<patients::v1::PatientService::Stub> patients;
  std::unique_ptr<av1::AppointmentService::Stub> appointments;
  std::unique_ptr<av1::LocationService::Stub> locations;
  std::unique_ptr<av1::AppointmentTypeService::Stub> types;
};

NotificationServiceImpl::NotificationServiceImpl(
    MessageStore* store, FeedStore* feeds,
    const server::CallerVerifier* verifier, ServiceOptions options)
    : store_(store),
      feeds_(feeds),
      verifier_(verifier),
      stubs_(new Stubs{
          patients::v1::PatientService::NewStub(options.patients),
          av1::AppointmentService::NewStub(options.appointments),
          av1::LocationService::NewStub(options.appointments),
          av1::AppointmentTypeService::NewStub(options.appointments)}),
      options_(std::move(options)),
      rpcs_(verifier, v1::NotificationService::service_full_name()) {}

NotificationServiceImpl::~NotificationServiceImpl() = default;

grpc::ServerUnaryReactor* NotificationServiceImpl::UnsubscribeFromReminders(
    grpc::CallbackServerContext* context, const v1::UnsubscribeRequest* req,
    v1::UnsubscribeResponse* resp) {
  return rpcs_.Serve(
      context, "UnsubscribeFromReminders",
      [=](const server::Call&) -> absl::Status {
        absl::StatusOr<std::string> patient =
            PatientOfToken(options_.unsubscribe_key, req->token());
        if (!patient.ok()) return patient.status();
        patients::v1::OptOutOfRemindersRequest opt;
        opt.set_name(*patient);
        patients::v1::Patient out;
        auto ctx = server::NewCallContext(absl::Seconds(5));
        server::Caller self;  // the service on its own behalf
        self.request_id = "unsubscribe";
        verifier_->Forward(self, *ctx);
        absl::Status s = status::FromGrpcStatus(
            stubs_->patients->OptOutOfReminders(ctx.get(), opt, &out));
        if (s.code() == absl::StatusCode::kNotFound) {
          return absl::NotFoundError("This link does not work (any more).");
        }
        if (!s.ok()) return s;
        absl::StatusOr<int> cancelled = store_->CancelReminders(*patient);
        if (!cancelled.ok()) return cancelled.status();
        resp->set_message(
            "Done: you will get no more appointment reminders from us. "
            "Confirmations of bookings and changes still come by email.");
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* NotificationServiceImpl::ListMessages(
    grpc::CallbackServerContext* context, const v1::ListMessagesRequest* req,
    v1::ListMessagesResponse* resp) {
  return rpcs_.Serve(
      context, "ListMessages", [=](const server::Call&) -> absl::Status {
        status::Violations v;
        MessageQuery q;
        if (!req->patient().empty() &&
            !absl::StartsWith(req->patient(), "patients/")) {
          v.Add("patient", "choose a patient");
        }
        if (!req->appointment().empty() &&
            !absl::StartsWith(req->appointment(), "appointments/")) {
          v.Add("appointment", "is not an appointment");
        }
        if (!v1::DeliveryState_IsValid(req->state())) {
          v.Add("state", "not a delivery state");
        }
        if (req->page_size() < 0) v.Add("page_size", "must not be negative");
        if (!req->page_token().empty() &&
            !absl::SimpleAtoi(req->page_token(), &q.before_id)) {
          v.Add("page_token", "is not from a previous answer");
        }
        if (!v.empty()) return v.ToStatus();
        q.patient = req->patient();
        q.appointment = req->appointment();
        q.state = req->state();
        q.page_size =
            req->page_size() == 0 ? 50 : std::min(req->page_size(), 200);
        absl::StatusOr<std::vector<v1::Message>> page = store_->List(q);
        if (!page.ok()) return page.status();
        for (v1::Message& m : *page) *resp->add_messages() = std::move(m);
        if (static_cast<int>(resp->messages_size()) == q.page_size) {
          const std::string& last = resp->messages(q.page_size - 1).name();
          resp->set_next_page_token(last.substr(last.find('/') + 1));
        }
        return absl::OkStatus();
      });
}

// ---- Calendar feeds.

namespace {

// A therapist may name only themselves; an admin anyone.
absl::StatusOr<std::string> FeedOwner(const server::Call& caller,
                                      const std::string& therapist) {
  if (!text::IsResourceName(therapist, "staff")) {
    return status::InvalidField("therapist", "choose a therapist");
  }
  if (!caller.HasRole(api::v1::STAFF_ROLE_ADMIN) && caller.staff != therapist) {
    return absl::PermissionDeniedError(
        "a therapist manages only their own calendar link");
  }
  return therapist;
}

v1::CalendarFeed FeedProto(const FeedRecord& f, bool names) {
  v1::CalendarFeed out;
  out.set_name(absl::StrCat(f.therapist, "/calendarFeed"));
  out.set_therapist(f.therapist);
  *out.mutable_create_time() = time::ToTimestamp(f.create_time);
  if (f.last_read_time) {
    *out.mutable_last_read_time() = time::ToTimestamp(*f.last_read_time);
  }
  out.set_shows_patient_names(names);
  return out;
}

absl::Status NoSuchFeed() {
  return absl::NotFoundError("This calendar link does not work (any more).");
}

}  // namespace

grpc::ServerUnaryReactor* NotificationServiceImpl::CreateCalendarFeed(
    grpc::CallbackServerContext* context, const v1::CalendarFeedRequest* req,
    v1::CalendarFeed* resp) {
  return rpcs_.Serve(
      context, "CreateCalendarFeed",
      [=](const server::Call& caller) -> absl::Status {
        absl::StatusOr<std::string> therapist =
            FeedOwner(caller, req->therapist());
        if (!therapist.ok()) return therapist.status();
        const std::string token = crypto::NewRandomToken();
        absl::StatusOr<FeedRecord> f =
            feeds_->Create(*therapist, crypto::Sha256(token));
        if (!f.ok()) return f.status();
        *resp = FeedProto(*f, options_.feed_patient_names);
        resp->set_url(
            absl::StrCat(options_.public_base_url, "/feeds/", token, ".ics"));
        return absl::OkStatus();
      },
      req->therapist());
}

grpc::ServerUnaryReactor* NotificationServiceImpl::GetCalendarFeed(
    grpc::CallbackServerContext* context, const v1::CalendarFeedRequest* req,
    v1::CalendarFeed* resp) {
  return rpcs_.Serve(
      context, "GetCalendarFeed",
      [=](const server::Call& caller) -> absl::Status {
        absl::StatusOr<std::string> therapist =
            FeedOwner(caller, req->therapist());
        if (!therapist.ok()) return therapist.status();
        absl::StatusOr<FeedRecord> f = feeds_->Get(*therapist);
        if (!f.ok()) return f.status();
        *resp = FeedProto(*f, options_.feed_patient_names);
        return absl::OkStatus();
      },
      req->therapist());
}

grpc::ServerUnaryReactor* NotificationServiceImpl::RevokeCalendarFeed(
    grpc::CallbackServerContext* context, const v1::CalendarFeedRequest* req,
    v1::RevokeCalendarFeedResponse*) {
  return rpcs_.Serve(
      context, "RevokeCalendarFeed",
      [=](const server::Call& caller) -> absl::Status {
        absl::StatusOr<std::string> therapist =
            FeedOwner(caller, req->therapist());
        if (!therapist.ok()) return therapist.status();
        return feeds_->Revoke(*therapist);
      },
      req->therapist());
}

grpc::ServerUnaryReactor* NotificationServiceImpl::ReadCalendarFeed(
    grpc::CallbackServerContext* context,
    const v1::ReadCalendarFeedRequest* req, v1::CalendarFile* resp) {
  return rpcs_.Serve(
      context, "ReadCalendarFeed", [=](const server::Call&) -> absl::Status {
        if (!crypto::LooksLikeRandomToken(req->token())) return NoSuchFeed();
        absl::StatusOr<FeedRecord> f =
            feeds_->Open(crypto::Sha256(req->token()), absl::Now());
        if (!f.ok())
          return absl::IsNotFound(f.status()) ? NoSuchFeed() : f.status();
        absl::StatusOr<std::string> ics = FeedCalendar(f->therapist);
        if (!ics.ok()) return ics.status();
        resp->set_ics(*std::move(ics));
        return absl::OkStatus();
      });
}

absl::StatusOr<std::string> NotificationServiceImpl::FeedCalendar(
    const std::string& therapist) {
  server::Caller self;  // the service on its own behalf
  self.request_id = "calendar-feed";
  auto context = [&] {
    auto ctx = server::NewCallContext(absl::Seconds(5));
    verifier_->Forward(self, *ctx);
    return ctx;
  };
  const absl::Time now = absl::Now();
  std::vector<av1::Appointment> appointments;
  av1::ListAppointmentsRequest list;
  list.set_therapist(therapist);
  list.set_show_cancelled(true);
  list.set_page_size(500);
  *list.mutable_start_time() = time::ToTimestamp(now - absl::Hours(24 * 30));
  *list.mutable_end_time() = time::ToTimestamp(now + absl::Hours(24 * 60));
  for (int page = 0; page < 10; ++page) {
    av1::ListAppointmentsResponse got;
    auto ctx = context();
    if (absl::Status s = status::FromGrpcStatus(
            stubs_->appointments->ListAppointments(ctx.get(), list, &got));
        !s.ok()) {
      return s;
    }
    for (av1::Appointment& a : *got.mutable_appointments()) {
      appointments.push_back(std::move(a));
    }
    if (got.next_page_token().empty()) break;
    list.set_page_token(got.next_page_token());
  }
  std::map<std::string, std::string> names;  // types, locations, patients
  auto name_of = [&](const std::string& resource) -> std::string {
    if (auto it = names.find(resource); it != names.end()) return it->second;
    std::string name;
    auto ctx = context();
    if (absl::StartsWith(resource, "appointmentTypes/")) {
      av1::GetAppointmentTypeRequest r;
      r.set_name(resource);
      av1::AppointmentType t;
      if (stubs_->types->GetAppointmentType(ctx.get(), r, &t).ok()) {
        name = t.display_name();
      }
    } else if (absl::StartsWith(resource, "locations/")) {
      av1::GetLocationRequest r;
      r.set_name(resource);
      av1::Location l;
      if (stubs_->locations->GetLocation(ctx.get(), r, &l).ok()) {
        name = l.display_name();
      }
    } else {
      patients::v1::GetPatientRequest r;
      r.set_name(resource);
      patients::v1::Patient p;
      if (stubs_->patients->GetPatient(ctx.get(), r, &p).ok()) {
        name = absl::StrCat(
            p.preferred_name().empty() ? p.given_name() : p.preferred_name(),
            " ", p.family_name());
      }
    }
    names[resource] = name;
    return name;
  };
  std::vector<IcsEvent> events;
  for (const av1::Appointment& a : appointments) {
    IcsEvent e;
    e.uid = absl::StrCat(text::IdOf(a.name()), "@appointments.clinic");
    e.sequence = 0;
    e.cancelled = a.state() == av1::APPOINTMENT_STATE_CANCELLED;
    e.start = time::FromTimestamp(a.start_time());
    e.end = time::FromTimestamp(a.end_time());
    e.stamp = time::FromTimestamp(a.update_time());
    const std::string type = name_of(a.appointment_type());
    e.summary = type.empty() ? "Appointment" : type;
    if (options_.feed_patient_names) {
      const std::string patient = name_of(a.patient());
      if (!patient.empty()) absl::StrAppend(&e.summary, ": ", patient);
    }
    e.location = name_of(a.location());
    events.push_back(std::move(e));
  }
  return IcsFeed("Clinic appointments", events);
}

}  // namespace clinic::notifications
