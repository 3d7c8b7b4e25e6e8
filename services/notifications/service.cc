#include "services/notifications/service.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/status/errors.h"

namespace clinic::notifications {

NotificationServiceImpl::NotificationServiceImpl(
    MessageStore* store, const server::CallerVerifier* verifier)
    : store_(store),
      rpcs_(verifier, v1::NotificationService::service_full_name()) {}

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

}  // namespace clinic::notifications
