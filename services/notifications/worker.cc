#include "services/notifications/worker.h"

#include <grpcpp/grpcpp.h>

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "services/common/server/client.h"
#include "services/common/server/log.h"
#include "services/common/status/status.h"
#include "services/common/text/text.h"
#include "services/common/time/timestamps.h"
#include "services/notifications/render.h"
#include "services/notifications/unsubscribe.h"

namespace clinic::notifications {

namespace av1 = appointments::v1;
namespace pv1 = patients::v1;

struct Worker::Impl {
  MessageStore* store;
  std::unique_ptr<av1::AppointmentService::Stub> appointments;
  std::unique_ptr<av1::LocationService::Stub> locations;
  std::unique_ptr<av1::AppointmentTypeService::Stub> types;
  std::unique_ptr<pv1::PatientService::Stub> patients;
  const server::CallerVerifier* verifier;
  WorkerOptions options;
  // Locations (names, zones, languages, reminder leads) and types (names,
  // reminder leads), each for a minute.
  std::map<std::string, std::pair<absl::Time, av1::Location>> location_cache;
  std::map<std::string, std::pair<absl::Time, av1::AppointmentType>> type_cache;

  std::unique_ptr<grpc::ClientContext> Context() {
    auto ctx = server::NewCallContext(absl::Seconds(5));
    server::Caller self;  // a service on its own behalf
    self.request_id = "notifications";
    verifier->Forward(self, *ctx);
    return ctx;
  }

  absl::StatusOr<av1::Location> Location(const std::string& name) {
    if (auto it = location_cache.find(name);
        it != location_cache.end() &&
        absl::Now() - it->second.first < absl::Minutes(1)) {
      return it->second.second;
    }
    av1::GetLocationRequest req;
    req.set_name(name);
    av1::Location l;
    auto ctx = Context();
    if (absl::Status s =
            status::FromGrpcStatus(locations->GetLocation(ctx.get(), req, &l));
        !s.ok()) {
      return s;
    }
    location_cache[name] = {absl::Now(), l};
    return l;
  }

  absl::StatusOr<av1::AppointmentType> Type(const std::string& name) {
    if (auto it = type_cache.find(name);
        it != type_cache.end() &&
        absl::Now() - it->second.first < absl::Minutes(1)) {
      return it->second.second;
    }
    av1::GetAppointmentTypeRequest req;
    req.set_name(name);
    av1::AppointmentType t;
    auto ctx = Context();
    if (absl::Status s = status::FromGrpcStatus(
            types->GetAppointmentType(ctx.get(), req, &t));
        !s.ok()) {
      return s;
    }
    type_cache[name] = {absl::Now(), t};
    return t;
  }

  absl::StatusOr<std::string> TypeName(const std::string& name) {
    absl::StatusOr<av1::AppointmentType> t = Type(name);
    if (!t.ok()) return t.status();
    return t->display_name();
  }

  // How long before the start a reminder goes out: the type's, else the
  // location's, else the flag's.
  absl::Duration ReminderLead(const std::string& type,
                              const av1::Location& location) {
    if (absl::StatusOr<av1::AppointmentType> t = Type(type);
        t.ok() && t->reminder_lead().seconds() > 0) {
      return absl::Seconds(t->reminder_lead().seconds());
    }
    if (location.reminder_lead().seconds() > 0) {
      return absl::Seconds(location.reminder_lead().seconds());
    }
    return options.reminder_lead;
  }

  absl::StatusOr<pv1::Patient> Patient(const std::string& name) {
    pv1::GetPatientRequest req;
    req.set_name(name);
    pv1::Patient p;
    auto ctx = Context();
    if (absl::Status s =
            status::FromGrpcStatus(patients->GetPatient(ctx.get(), req, &p));
        !s.ok()) {
      return s;
    }
    return p;
  }

  // The manage link of an online booking (the same token every time).
  std::string ManageLink(const av1::Appointment& a) {
    const bool patient_booked =
        a.source() == av1::APPOINTMENT_SOURCE_ONLINE ||
        a.source() == av1::APPOINTMENT_SOURCE_WAITLIST_OFFER;
    if (!patient_booked || options.public_base_url.empty()) {
      return "";
    }
    av1::IssueManageTokenRequest req;
    req.set_appointment(a.name());
    av1::IssueManageTokenResponse resp;
    auto ctx = Context();
    if (!appointments->IssueManageToken(ctx.get(), req, &resp).ok()) return "";
    return absl::StrCat(options.public_base_url,
                        "/manage.html?t=", resp.token());
  }

  // What every message about an appointment of `patient` at `location`
  // of `type` needs. A patient who no longer exists still gets a message
  // (without an address); another failure is UNAVAILABLE-style: retry.
  struct Facts {
    std::optional<pv1::Patient> patient;
    av1::Location location;
    std::string type;
    absl::TimeZone zone;
    Language lang = Language::kEnglish;
    std::string given_name() const {
      if (!patient) return "";
      return patient->preferred_name().empty() ? patient->given_name()
                                               : patient->preferred_name();
    }
    std::string email() const { return patient ? patient->email() : ""; }
    bool email_opt_out() const { return patient && patient->email_opt_out(); }
  };
  absl::StatusOr<Facts> FactsOf(const std::string& patient_name,
                                const std::string& location_name,
                                const std::string& type_name) {
    Facts f;
    absl::StatusOr<pv1::Patient> patient = Patient(patient_name);
    if (patient.ok()) {
      f.patient = *std::move(patient);
    } else if (patient.status().code() != absl::StatusCode::kNotFound) {
      return patient.status();
    }
    absl::StatusOr<av1::Location> location = Location(location_name);
    if (!location.ok()) return location.status();
    f.location = *std::move(location);
    absl::StatusOr<std::string> type = TypeName(type_name);
    if (!type.ok()) return type.status();
    f.type = *std::move(type);
    if (!absl::LoadTimeZone(f.location.time_zone(), &f.zone)) {
      f.zone = absl::UTCTimeZone();
    }
    f.lang = LanguageOf(f.location.language());
    return f;
  }

  // The offer of a freed time to a waitlisted patient: one message with
  // the link that takes it (made once per event, like every other).
  absl::Status HandleOffer(const std::string& from,
                           const av1::AppointmentEvent& e) {
    const av1::WaitlistOffer& offer = e.offer();
    absl::StatusOr<Facts> f = FactsOf(offer.patient(), offer.slot().location(),
                                      offer.slot().appointment_type());
    if (!f.ok()) return f.status();
    const absl::TimeZone zone = f->zone;
    const Language lang = f->lang;
    const std::string link =
        options.public_base_url.empty() || e.offer_token().empty()
            ? ""
            : absl::StrCat(options.public_base_url,
                           "/offer.html?t=", e.offer_token());
    std::map<std::string, std::string> values = {
        {"given_name", f->given_name()},
        {"type", f->type},
        {"location", f->location.display_name()},
        {"when", LocalWords(time::FromTimestamp(offer.slot().start_time()),
                            zone, lang)},
        {"held_until",
         LocalWords(time::FromTimestamp(offer.expire_time()), zone, lang)},
        {"offer",
         link.empty() ? "" : absl::StrCat(Phrase("offer", lang), link)}};
    absl::StatusOr<Rendered> text = Render("waitlist_offer", values, lang);
    if (!text.ok()) return text.status();
    NewMessage m{absl::StrCat("event:", e.cursor()),
                 offer.freed_by(),
                 offer.patient(),
                 v1::Message::WAITLIST_OFFER,
                 f->email(),
                 text->subject,
                 text->body,
                 "",
                 f->email_opt_out()};
    return store->Apply(from, e.cursor(), {m}, std::nullopt);
  }

  // The messages and reminder plan of one event; UNAVAILABLE (retry later)
  // when a service behind cannot answer.
  absl::Status Handle(const std::string& from, const av1::AppointmentEvent& e) {
    v1::Message::Kind kind = v1::Message::KIND_UNSPECIFIED;
    switch (e.kind()) {
      case av1::AppointmentEvent::BOOKED:
        kind = v1::Message::CONFIRMATION;
        break;
      case av1::AppointmentEvent::RESCHEDULED:
        kind = v1::Message::CHANGE;
        break;
      case av1::AppointmentEvent::CANCELLED:
        kind = v1::Message::CANCELLATION;
        break;
      case av1::AppointmentEvent::WAITLIST_OFFERED:
        return HandleOffer(from, e);
      default:
        return store->Apply(from, e.cursor(), {}, std::nullopt);
    }
    const av1::Appointment& a = e.appointment();
    absl::StatusOr<Facts> f =
        FactsOf(a.patient(), a.location(), a.appointment_type());
    if (!f.ok()) return f.status();
    const absl::TimeZone zone = f->zone;
    const Language lang = f->lang;
    const av1::Location* location = &f->location;
    const std::string* type = &f->type;
    const absl::Time start = time::FromTimestamp(a.start_time());
    const absl::Time end = time::FromTimestamp(a.end_time());
    const std::string recipient = f->email();
    const std::string link =
        kind == v1::Message::CANCELLATION ? "" : ManageLink(a);
    std::map<std::string, std::string> values = {
        {"given_name", f->given_name()},
        {"type", *type},
        {"location", location->display_name()},
        {"when", LocalWords(start, zone, lang)},
        {"manage", link.empty() ? ""
                                : absl::StrCat("\n", Phrase("manage", lang),
                                               link, "\n")}};
    if (e.has_previous_start_time()) {
      values["before"] =
          LocalWords(time::FromTimestamp(e.previous_start_time()), zone, lang);
    }
    const char* name = kind == v1::Message::CONFIRMATION ? "confirmation"
                       : kind == v1::Message::CHANGE     ? "change"
                                                         : "cancellation";
    absl::StatusOr<Rendered> text = Render(name, values, lang);
    if (!text.ok()) return text.status();
    absl::StatusOr<int> sequence = store->CalendarCount(a.name());
    if (!sequence.ok()) return sequence.status();
    IcsEvent ics;
    ics.uid = absl::StrCat(text::IdOf(a.name()), "@appointments.clinic");
    ics.sequence = *sequence;
    ics.cancelled = kind == v1::Message::CANCELLATION;
    ics.start = start;
    ics.end = end;
    ics.stamp = time::FromTimestamp(e.time());
    ics.summary =
        absl::StrCat(*type, Phrase("at", lang), location->display_name());
    ics.location = location->display_name();
    ics.description = link.empty() ? "" : absl::StrCat("Manage: ", link);
    ics.time_zone = location->time_zone();
    const bool no_email = f->email_opt_out();
    NewMessage m{absl::StrCat("event:", e.cursor()),
                 a.name(),
                 a.patient(),
                 kind,
                 recipient,
                 text->subject,
                 text->body,
                 Ics(ics),
                 no_email};
    std::optional<ReminderPlan> reminder;
    const bool no_reminders =
        no_email || (f->patient && f->patient->reminders_opt_out());
    if (kind == v1::Message::CANCELLATION || no_reminders) {
      reminder = ReminderPlan{true, a.name()};
    } else {
      const absl::Time due = ReminderDue(
          start, zone, ReminderLead(a.appointment_type(), *location),
          options.quiet_from, options.quiet_to);
      values["manage"] =
          link.empty() ? ""
                       : absl::StrCat("\n", Phrase("manage", lang), link, "\n");
      if (!options.unsubscribe_key.empty() &&
          !options.public_base_url.empty()) {
        values["unsubscribe"] = absl::StrCat(
            "\n", Phrase("unsubscribe", lang), options.public_base_url,
            "/unsubscribe.html?t=",
            UnsubscribeToken(options.unsubscribe_key, a.patient()), "\n");
      }
      absl::StatusOr<Rendered> remind = Render("reminder", values, lang);
      if (!remind.ok()) return remind.status();
      // A reminder only if it is still ahead when booked.
      if (due > time::FromTimestamp(e.time())) {
        reminder =
            ReminderPlan{false, a.name(),  a.patient(),     start,
                         due,   recipient, remind->subject, remind->body};
      } else {
        reminder = ReminderPlan{true, a.name()};
      }
    }
    return store->Apply(from, e.cursor(), {m}, reminder);
  }
};

Worker::Worker(MessageStore* store, std::shared_ptr<grpc::Channel> appointments,
               std::shared_ptr<grpc::Channel> patients,
               const server::CallerVerifier* verifier, WorkerOptions options)
    : impl_(new Impl{store, av1::AppointmentService::NewStub(appointments),
                     av1::LocationService::NewStub(appointments),
                     av1::AppointmentTypeService::NewStub(appointments),
                     pv1::PatientService::NewStub(patients), verifier,
                     std::move(options)}) {}

Worker::~Worker() { Stop(); }

void Worker::Start() {
  thread_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(impl_->options.poll)) {
      for (auto [what, result] :
           {std::pair{"reading the appointments outbox", Consume()},
            std::pair{"making reminders", Remind()},
            std::pair{"sending", SendDue()}}) {
        if (!result.ok()) {
          server::LogWarning("notifications: ", what, ": ",
                             result.status().ToString());
        }
      }
    }
  });
}

void Worker::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> Worker::Consume() {
  int handled = 0;
  for (int round = 0; round < 50; ++round) {
    absl::StatusOr<std::string> cursor = impl_->store->Cursor();
    if (!cursor.ok()) return cursor.status();
    av1::ListAppointmentEventsRequest req;
    req.set_after(*cursor);
    req.set_page_size(100);
    av1::ListAppointmentEventsResponse resp;
    auto ctx = impl_->Context();
    if (absl::Status s = status::FromGrpcStatus(
            impl_->appointments->ListAppointmentEvents(ctx.get(), req, &resp));
        !s.ok()) {
      return s;
    }
    if (resp.events().empty()) return handled;
    std::string from = *cursor;
    for (const av1::AppointmentEvent& e : resp.events()) {
      if (absl::Status s = impl_->Handle(from, e); !s.ok()) {
        if (s.code() == absl::StatusCode::kAborted) return handled;
        return s;
      }
      from = e.cursor();
      ++handled;
    }
  }
  return handled;
}

absl::StatusOr<int> Worker::Remind() {
  return impl_->store->FireReminders(impl_->options.now());
}

absl::StatusOr<int> Worker::SendDue() {
  if (impl_->options.smtp.relay.empty()) return 0;
  const absl::Time now = impl_->options.now();
  absl::StatusOr<std::vector<v1::Message>> due =
      impl_->store->ClaimDue(now, absl::Minutes(2), 20);
  if (!due.ok()) return due.status();
  int sent = 0;
  for (const v1::Message& m : *due) {
    Email email{
        m.recipient(),
        m.subject(),
        m.body(),
        m.ics(),
        m.ics().find("METHOD:CANCEL") != std::string::npos,
        absl::StrCat(text::IdOf(m.name()), ".", text::IdOf(m.appointment()),
                     "@notifications.clinic")};
    absl::StatusOr<std::string> answer = Send(impl_->options.smtp, email);
    if (absl::Status s = impl_->store->Record(
            m.name(), answer.ok(),
            answer.ok() ? *answer : std::string(answer.status().message()),
            impl_->options.now());
        !s.ok()) {
      return s;
    }
    sent += answer.ok() ? 1 : 0;
  }
  return sent;
}

}  // namespace clinic::notifications
