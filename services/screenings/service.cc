#include "services/screenings/service.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/db/page_token.h"
#include "services/common/db/request_key.h"
#include "services/common/server/log.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"
#include "services/screenings/protocol.h"
#include "services/screenings/protocol_files.h"
#include "services/screenings/validation.h"

namespace clinic::screenings {
namespace {

constexpr char kPageVersion[] = "c1";
constexpr int kMaxConversionNote = 2000;

}  // namespace

ScreeningServiceImpl::ScreeningServiceImpl(
    ContactStore* store, const server::CallerVerifier* verifier,
    ScreeningServiceOptions options)
    : store_(store),
      options_(std::move(options)),
      rpcs_(verifier, v1::ScreeningService::service_full_name(),
            server::RpcOptions{nullptr, [this](const server::Call& call,
                                               const std::string& resource,
                                               const absl::Status& result) {
                                 RecordFailure(call, resource, result);
                               }}) {}

void ScreeningServiceImpl::RecordFailure(const server::Call& call,
                                         const std::string& resource,
                                         const absl::Status& result) {
  absl::Status recorded = store_->RecordFailure(
      audit::ContextOf(call), resource.empty() ? "contactRequests" : resource,
      absl::StatusCodeToString(result.code()));
  if (!recorded.ok()) {
    server::LogError("cannot record an audit event: ", recorded.ToString());
  }
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::CreateContactRequest(
    grpc::CallbackServerContext* context,
    const v1::CreateContactRequestRequest* req, v1::ContactRequest* resp) {
  return rpcs_.Serve(
      context, "CreateContactRequest",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        status::Violations v;
        v.Check(text::ValidateRequestId(req->request_id()));
        if (!req->has_contact_request()) {
          v.Add("contact_request", "is required");
          return v.ToStatus();
        }
        v1::ContactRequest c = req->contact_request();
        v.Check(NormalizeAndValidate("contact_request", options_.default_region,
                                     c));
        if (!v.empty()) return v.ToStatus();
        absl::StatusOr<v1::ContactRequest> created =
            store_->Create(c,
                           RequestKey{"CreateContactRequest", req->request_id(),
                                      db::DeterministicBytes(*req)},
                           &audit);
        if (!created.ok()) return created.status();
        *resp = *std::move(created);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::GetContactRequest(
    grpc::CallbackServerContext* context,
    const v1::GetContactRequestRequest* req, v1::ContactRequest* resp) {
  return rpcs_.Serve(
      context, "GetContactRequest",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        absl::StatusOr<std::string> id =
            ParseContactRequestName("name", req->name());
        if (!id.ok()) return id.status();
        absl::StatusOr<v1::ContactRequest> c = store_->Get(*id, &audit);
        if (!c.ok()) return c.status();
        *resp = *std::move(c);
        return absl::OkStatus();
      },
      req->name());
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::ListContactRequests(
    grpc::CallbackServerContext* context,
    const v1::ListContactRequestsRequest* req,
    v1::ListContactRequestsResponse* resp) {
  return rpcs_.Serve(
      context, "ListContactRequests",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        status::Violations v;
        ContactQuery q;
        absl::StatusOr<int> size =
            server::PageSize(req->page_size(), kDefaultPageSize, kMaxPageSize);
        if (v.Check(size.status())) q.page_size = *size;
        for (int i = 0; i < req->states_size(); ++i) {
          const int s = req->states(i);
          if (s == v1::CONTACT_REQUEST_STATE_UNSPECIFIED ||
              !v1::ContactRequestState_IsValid(s)) {
            v.Add(absl::StrCat("states[", i, "]"), "is not a known state");
          } else {
            q.states.push_back(static_cast<v1::ContactRequestState>(s));
          }
        }
        if (q.states.empty()) {
          q.states = {v1::CONTACT_REQUEST_STATE_NEW,
                      v1::CONTACT_REQUEST_STATE_CONTACTED};
        }
        q.location = req->location();
        if (!q.location.empty() && !text::IsUuid(text::IdOf(q.location))) {
          v.Add("location", "is not a location of the practice");
        }
        std::vector<std::string> filters = {q.location};
        for (auto s : q.states) filters.push_back(absl::StrCat(s));
        const std::string fingerprint = db::FilterFingerprint(filters);
        if (!req->page_token().empty()) {
          absl::StatusOr<std::vector<std::string>> after = db::DecodePageToken(
              req->page_token(), kPageVersion, fingerprint, 2);
          if (v.Check(after.status())) q.after = *std::move(after);
        }
        if (!v.empty()) return v.ToStatus();
        absl::StatusOr<ContactPage> page = store_->List(q, &audit);
        if (!page.ok()) return page.status();
        for (v1::ContactRequest& c : page->requests) {
          *resp->add_contact_requests() = std::move(c);
        }
        if (!page->next.empty()) {
          resp->set_next_page_token(
              db::EncodePageToken(kPageVersion, fingerprint, page->next));
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::RecordContactAttempt(
    grpc::CallbackServerContext* context,
    const v1::RecordContactAttemptRequest* req, v1::ContactRequest* resp) {
  return rpcs_.Serve(
      context, "RecordContactAttempt",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        status::Violations v;
        v.Check(text::ValidateRequestId(req->request_id()));
        absl::StatusOr<std::string> id =
            ParseContactRequestName("name", req->name());
        v.Check(id.status());
        if (req->outcome() == v1::CONTACT_OUTCOME_UNSPECIFIED ||
            !v1::ContactOutcome_IsValid(req->outcome())) {
          v.Add("outcome", "is required: what happened when you reached out");
        }
        if (!v1::ContactRequestState_IsValid(req->next_state()) ||
            req->next_state() == v1::CONTACT_REQUEST_STATE_NEW) {
          v.Add("next_state", "must be a state a request can move to");
        }
        const std::string note(text::CollapseSpaces(req->note()));
        if (text::CodePoints(note) > kMaxNoteLength) {
          v.Add("note",
                absl::StrCat("is longer than ", kMaxNoteLength, " characters"));
        }
        if (!v.empty()) return v.ToStatus();
        NewAttempt a;
        a.id = *id;
        a.staff = call.staff;
        a.outcome = req->outcome();
        a.note = note;
        a.next_state = req->next_state();
        a.etag = req->etag();
        absl::StatusOr<v1::ContactRequest> updated = store_->RecordAttempt(
            a,
            RequestKey{"RecordContactAttempt", req->request_id(),
                       db::DeterministicBytes(*req)},
            &audit);
        if (!updated.ok()) return updated.status();
        *resp = *std::move(updated);
        return absl::OkStatus();
      },
      req->name());
}

absl::StatusOr<std::vector<v1::ScreeningProtocol>> LoadShippedProtocols() {
  std::vector<v1::ScreeningProtocol> out;
  for (const db::Migration& file : ProtocolFiles()) {
    absl::StatusOr<v1::ScreeningProtocol> p =
        ParseProtocol(file.name, file.sql);
    if (!p.ok()) return p.status();
    out.push_back(*std::move(p));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.title() < b.title(); });
  return out;
}

const v1::ScreeningProtocol* ScreeningServiceImpl::Protocol(
    const std::string& name) const {
  for (const auto& p : options_.protocols) {
    if (p.name() == name) return &p;
  }
  return nullptr;
}

absl::Status ScreeningServiceImpl::Evaluated(v1::Screening& s) const {
  const v1::ScreeningProtocol* p = Protocol(s.protocol());
  if (p == nullptr) return absl::OkStatus();  // a protocol since retired
  absl::StatusOr<v1::ScreeningEvaluation> e = Evaluate(*p, s.answers());
  if (e.ok()) *s.mutable_evaluation() = *std::move(e);
  return absl::OkStatus();
}

namespace {

constexpr size_t kMaxScreeningText = 4000;
constexpr size_t kMaxAddendum = 2000;

absl::StatusOr<std::string> ParseScreeningName(absl::string_view name) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "screenings/") || !text::IsUuid(id)) {
    return status::InvalidField("name", "must look like screenings/{uuid}");
  }
  return absl::AsciiStrToLower(id);
}

}  // namespace

grpc::ServerUnaryReactor* ScreeningServiceImpl::CreateScreening(
    grpc::CallbackServerContext* context, const v1::CreateScreeningRequest* req,
    v1::Screening* resp) {
  return rpcs_.Serve(
      context, "CreateScreening",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        status::Violations v;
        v.Check(text::ValidateRequestId(req->request_id()));
        const v1::Screening& in = req->screening();
        if (!text::IsResourceName(in.patient(), "patients")) {
          v.Add("screening.patient", "choose the patient");
        }
        if (!in.appointment().empty() &&
            !text::IsResourceName(in.appointment(), "appointments")) {
          v.Add("screening.appointment", "is not an appointment");
        }
        const v1::ScreeningProtocol* p = Protocol(in.protocol());
        if (p == nullptr) {
          v.Add("screening.protocol", "is not a protocol of this practice");
        }
        if (call.anonymous()) v.Add("", "a therapist performs screenings");
        if (!v.empty()) return v.ToStatus();
        absl::StatusOr<patients::v1::Patient> patient = clients::CheckPatient(
            *options_.patients, call, "screening.patient", in.patient());
        if (!patient.ok()) return patient.status();
        v1::Screening s;
        s.set_patient(in.patient());
        s.set_appointment(in.appointment());
        s.set_protocol(p->name());
        s.set_protocol_version(p->version());
        s.set_therapist(call.staff);
        absl::StatusOr<v1::Screening> created = store_->CreateScreening(
            s, PatientContacts{patient->phone(), patient->email()},
            RequestKey{"CreateScreening", req->request_id(),
                       db::DeterministicBytes(*req)},
            &audit);
        if (!created.ok()) return created.status();
        *resp = *std::move(created);
        return Evaluated(*resp);
      },
      req->screening().patient());
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::GetScreening(
    grpc::CallbackServerContext* context, const v1::GetScreeningRequest* req,
    v1::Screening* resp) {
  return rpcs_.Serve(
      context, "GetScreening",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        absl::StatusOr<std::string> id = ParseScreeningName(req->name());
        if (!id.ok()) return id.status();
        absl::StatusOr<v1::Screening> s = store_->GetScreening(*id, &audit);
        if (!s.ok()) return s.status();
        *resp = *std::move(s);
        return Evaluated(*resp);
      },
      req->name());
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::ListScreenings(
    grpc::CallbackServerContext* context, const v1::ListScreeningsRequest* req,
    v1::ListScreeningsResponse* resp) {
  return rpcs_.Serve(
      context, "ListScreenings",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        if (!text::IsResourceName(req->patient(), "patients")) {
          return status::InvalidField("patient", "choose the patient");
        }
        absl::StatusOr<std::vector<v1::Screening>> list =
            store_->ListScreenings(req->patient(), &audit);
        if (!list.ok()) return list.status();
        for (v1::Screening& s : *list) {
          if (absl::Status e = Evaluated(s); !e.ok()) return e;
          *resp->add_screenings() = std::move(s);
        }
        return absl::OkStatus();
      },
      req->patient());
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::UpdateScreening(
    grpc::CallbackServerContext* context, const v1::UpdateScreeningRequest* req,
    v1::Screening* resp) {
  return rpcs_.Serve(
      context, "UpdateScreening",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        const v1::Screening& in = req->screening();
        status::Violations v;
        absl::StatusOr<std::string> id = ParseScreeningName(in.name());
        if (!id.ok())
          v.Add("screening.name", "must look like screenings/{uuid}");
        if (in.etag().empty()) {
          v.Add("screening.etag", "is required (the etag last read)");
        }
        for (const auto* field : {&in.findings(), &in.notes()}) {
          if (text::CodePoints(*field) > kMaxScreeningText) {
            v.Add(field == &in.findings() ? "screening.findings"
                                          : "screening.notes",
                  absl::StrCat("is longer than ", kMaxScreeningText,
                               " characters"));
          }
        }
        if (!v.empty()) return v.ToStatus();
        // The answers must fit the screening's protocol.
        absl::StatusOr<v1::Screening> current =
            store_->GetScreening(*id, nullptr);
        if (!current.ok()) return current.status();
        if (const v1::ScreeningProtocol* p = Protocol(current->protocol())) {
          absl::StatusOr<v1::ScreeningEvaluation> checked =
              Evaluate(*p, in.answers());
          if (!checked.ok()) {
            std::vector<status::FieldViolation> renamed =
                status::FieldViolationsOf(checked.status());
            for (auto& f : renamed)
              f.field = absl::StrCat("screening.", f.field);
            return status::InvalidFields(renamed);
          }
        }
        ScreeningChange change;
        change.id = *id;
        change.etag = in.etag();
        change.answers = in.answers();
        change.findings =
            std::string(absl::StripAsciiWhitespace(in.findings()));
        change.notes = std::string(absl::StripAsciiWhitespace(in.notes()));
        absl::StatusOr<v1::Screening> saved =
            store_->UpdateScreening(change, &audit);
        if (!saved.ok()) return saved.status();
        *resp = *std::move(saved);
        return Evaluated(*resp);
      },
      req->screening().name());
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::CompleteScreening(
    grpc::CallbackServerContext* context,
    const v1::CompleteScreeningRequest* req, v1::Screening* resp) {
  return rpcs_.Serve(
      context, "CompleteScreening",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        status::Violations v;
        absl::StatusOr<std::string> id = ParseScreeningName(req->name());
        v.Check(id.status());
        if (req->outcome() == v1::SCREENING_OUTCOME_UNSPECIFIED ||
            !v1::ScreeningOutcome_IsValid(req->outcome())) {
          v.Add("outcome", "choose what you recommend");
        }
        if (!v.empty()) return v.ToStatus();
        const v1::ScreeningOutcome outcome = req->outcome();
        absl::StatusOr<v1::Screening> done = store_->CompleteScreening(
            *id, req->etag(), outcome,
            [this, outcome](const v1::Screening& current) -> absl::Status {
              v1::Screening s = current;
              if (absl::Status e = Evaluated(s); !e.ok()) return e;
              if (s.evaluation().refer_to_physician() &&
                  outcome != v1::SCREENING_OUTCOME_REFER_TO_PHYSICIAN) {
                return absl::FailedPreconditionError(
                    "A red flag was found: refer the patient to a physician "
                    "before any physical therapy.");
              }
              return absl::OkStatus();
            },
            &audit);
        if (!done.ok()) return done.status();
        *resp = *std::move(done);
        return Evaluated(*resp);
      },
      req->name());
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::AddScreeningAddendum(
    grpc::CallbackServerContext* context,
    const v1::AddScreeningAddendumRequest* req, v1::Screening* resp) {
  return rpcs_.Serve(
      context, "AddScreeningAddendum",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        status::Violations v;
        absl::StatusOr<std::string> id = ParseScreeningName(req->name());
        v.Check(id.status());
        const std::string addendum(absl::StripAsciiWhitespace(req->text()));
        if (addendum.empty() || text::CodePoints(addendum) > kMaxAddendum) {
          v.Add("text",
                absl::StrCat("write 1 to ", kMaxAddendum, " characters"));
        }
        if (!v.empty()) return v.ToStatus();
        absl::StatusOr<v1::Screening> added =
            store_->AddAddendum(*id, call.staff, addendum, &audit);
        if (!added.ok()) return added.status();
        *resp = *std::move(added);
        return Evaluated(*resp);
      },
      req->name());
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::ConvertScreening(
    grpc::CallbackServerContext* context,
    const v1::ConvertScreeningRequest* req,
    v1::ConvertScreeningResponse* resp) {
  return rpcs_.Serve(
      context, "ConvertScreening",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        status::Violations v;
        absl::StatusOr<std::string> id = ParseScreeningName(req->name());
        v.Check(id.status());
        if (req->request_id().empty()) {
          v.Add("request_id", "is required");
        } else {
          v.Check(text::ValidateRequestId(req->request_id()));
        }
        if (!absl::StartsWith(req->location(), "locations/")) {
          v.Add("location", "choose where the evaluation takes place");
        }
        if (!absl::StartsWith(req->appointment_type(), "appointmentTypes/")) {
          v.Add("appointment_type", "choose the kind of visit");
        }
        if (!text::IsResourceName(req->therapist(), "staff")) {
          v.Add("therapist", "choose who evaluates");
        }
        if (!req->has_start_time()) v.Add("start_time", "choose a time");
        if (text::CodePoints(req->notes()) > kMaxConversionNote) {
          v.Add("notes", absl::StrCat("write at most ", kMaxConversionNote,
                                      " characters"));
        }
        if (!v.empty()) return v.ToStatus();
        if (options_.scheduler == nullptr) {
          return absl::FailedPreconditionError(
              "booking from a screening is not set up here");
        }
        absl::StatusOr<v1::Screening> current =
            store_->GetScreening(*id, nullptr);
        if (!current.ok()) return current.status();
        const RequestKey key{"ConvertScreening", req->request_id(),
                             db::DeterministicBytes(*req)};
        std::string appointment = current->evaluation_appointment();
        // Converted already: the store answers a retry with the first
        // answer and anything else with FAILED_PRECONDITION.
        const bool book = appointment.empty();
        if (book) {
          if (current->state() != v1::SCREENING_STATE_COMPLETED ||
              current->outcome() != v1::SCREENING_OUTCOME_PT_EVALUATION) {
            return absl::FailedPreconditionError(
                "only a completed screening that recommends a PT evaluation "
                "converts to treatment");
          }
          // Idempotent by request_id at the appointments service too: a
          // retry after a failure below books nothing twice.
          absl::StatusOr<std::string> booked =
              options_.scheduler->Book(call, current->patient(), *req);
          if (!booked.ok()) return booked.status();
          appointment = *std::move(booked);
        }
        absl::StatusOr<Conversion> done =
            store_->Convert(*id, appointment, key, &audit);
        if (book &&
            done.status().code() == absl::StatusCode::kFailedPrecondition) {
          // Another conversion of this screening won the race: undo ours.
          absl::Status undone = options_.scheduler->Cancel(
              call, appointment,
              "Booked twice from the same screening; the other booking "
              "stands.");
          if (!undone.ok()) {
            server::LogError("cannot cancel ", appointment,
                             " after a lost conversion: ", undone.ToString());
          }
        }
        if (!done.ok()) return done.status();
        *resp->mutable_screening() = std::move(done->screening);
        if (done->request) *resp->mutable_contact_request() = *done->request;
        return Evaluated(*resp->mutable_screening());
      },
      req->name());
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::GetFunnelReport(
    grpc::CallbackServerContext* context, const v1::GetFunnelReportRequest* req,
    v1::FunnelReport* resp) {
  return rpcs_.Serve(
      context, "GetFunnelReport", [=](const server::Call&) -> absl::Status {
        status::Violations v;
        auto day = [&](const char* field, const google::type::Date& d,
                       bool present) -> absl::CivilDay {
          const absl::CivilDay c(d.year(), d.month(), d.day());
          if (!present) {
            v.Add(field, "choose a day");
          } else if (d.year() < 2000 || c.year() != d.year() ||
                     c.month() != d.month() || c.day() != d.day()) {
            v.Add(field, "not a day of the calendar (from the year 2000)");
          }
          return c;
        };
        const absl::CivilDay first =
            day("start_date", req->start_date(), req->has_start_date());
        const absl::CivilDay last =
            day("end_date", req->end_date(), req->has_end_date());
        if (v.empty() && (last < first || last - first > 366)) {
          v.Add("end_date",
                "must be on or after the first day, and at most 366 days after "
                "it");
        }
        if (!v.empty()) return v.ToStatus();
        absl::StatusOr<std::vector<v1::FunnelRow>> rows =
            store_->Funnel(absl::FromCivil(first, absl::UTCTimeZone()),
                           absl::FromCivil(last + 1, absl::UTCTimeZone()));
        if (!rows.ok()) return rows.status();
        v1::FunnelRow total;
        auto rates = [](v1::FunnelRow& r) {
          if (r.requests() == 0) return;
          r.set_booking_rate(static_cast<double>(r.screenings_booked()) /
                             r.requests());
          r.set_conversion_rate(static_cast<double>(r.converted()) /
                                r.requests());
        };
        for (v1::FunnelRow& r : *rows) {
          total.set_requests(total.requests() + r.requests());
          total.set_contacted(total.contacted() + r.contacted());
          total.set_screenings_booked(total.screenings_booked() +
                                      r.screenings_booked());
          total.set_converted(total.converted() + r.converted());
          total.set_screenings_done(total.screenings_done() +
                                    r.screenings_done());
          rates(r);
          *resp->add_rows() = std::move(r);
        }
        rates(total);
        *resp->mutable_total() = total;
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::ListScreeningProtocols(
    grpc::CallbackServerContext* context,
    const v1::ListScreeningProtocolsRequest*,
    v1::ListScreeningProtocolsResponse* resp) {
  return rpcs_.Serve(context, "ListScreeningProtocols",
                     [=](const server::Call&) -> absl::Status {
                       for (const auto& p : options_.protocols) {
                         *resp->add_protocols() = p;
                       }
                       return absl::OkStatus();
                     });
}

grpc::ServerUnaryReactor* ScreeningServiceImpl::EvaluateScreening(
    grpc::CallbackServerContext* context,
    const v1::EvaluateScreeningRequest* req, v1::ScreeningEvaluation* resp) {
  return rpcs_.Serve(context, "EvaluateScreening",
                     [=](const server::Call&) -> absl::Status {
                       const v1::ScreeningProtocol* protocol = nullptr;
                       for (const auto& p : options_.protocols) {
                         if (p.name() == req->protocol()) protocol = &p;
                       }
                       if (protocol == nullptr) {
                         return status::InvalidField(
                             "protocol", "is not a protocol of this practice");
                       }
                       absl::StatusOr<v1::ScreeningEvaluation> e =
                           Evaluate(*protocol, req->answers());
                       if (!e.ok()) return e.status();
                       *resp = *std::move(e);
                       return absl::OkStatus();
                     });
}

}  // namespace clinic::screenings
