#include "services/notifications/service.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "services/common/server/client.h"
#include "services/common/status/errors.h"
#include "services/common/status/status.h"
#include "services/notifications/unsubscribe.h"

namespace clinic::notifications {

struct NotificationServiceImpl::Patients {
  std::unique_ptr<patients::v1::PatientService::Stub> stub;
};

NotificationServiceImpl::NotificationServiceImpl(
    MessageStore* store, const server::CallerVerifier* verifier,
    std::shared_ptr<grpc::Channel> patients, std::string unsubscribe_key)
    : store_(store),
      verifier_(verifier),
      patients_(new Patients{
          patients::v1::PatientService::NewStub(std::move(patients))}),
      unsubscribe_key_(std::move(unsubscribe_key)),
      rpcs_(verifier, v1::NotificationService::service_full_name()) {}

NotificationServiceImpl::~NotificationServiceImpl() = default;

grpc::ServerUnaryReactor* NotificationServiceImpl::UnsubscribeFromReminders(
    grpc::CallbackServerContext* context, const v1::UnsubscribeRequest* req,
    v1::UnsubscribeResponse* resp) {
  return rpcs_.Serve(
      context, "UnsubscribeFromReminders",
      [=](const server::Call&) -> absl::Status {
        absl::StatusOr<std::string> patient =
            PatientOfToken(unsubscribe_key_, req->token());
        if (!patient.ok()) return patient.status();
        patients::v1::OptOutOfRemindersRequest opt;
        opt.set_name(*patient);
        patients::v1::Patient out;
        auto ctx = server::NewCallContext(absl::Seconds(5));
        server::Caller self;  // the service on its own behalf
        self.request_id = "unsubscribe";
        verifier_->Forward(self, *ctx);
        absl::Status s = status::FromGrpcStatus(
            patients_->stub->OptOutOfReminders(ctx.get(), opt, &out));
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

}  // namespace clinic::notifications
