#include "services/screenings/service.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/db/page_token.h"
#include "services/common/server/log.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"
#include "services/screenings/protocol.h"
#include "services/screenings/protocol_files.h"
#include "services/screenings/validation.h"

namespace clinic::screenings {
namespace {

constexpr char kPageVersion[] = "c1";

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
