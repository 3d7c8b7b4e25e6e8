#include "services/booking/service.h"

#include <utility>

#include "services/booking/contact_form.h"
#include "services/common/server/client.h"
#include "services/common/server/log.h"
#include "services/common/status/status.h"
#include "services/common/text/text.h"

namespace clinic::booking {

BookingServiceImpl::BookingServiceImpl(
    const server::CallerVerifier* verifier,
    std::shared_ptr<grpc::ChannelInterface> screenings,
    BookingServiceOptions options)
    : verifier_(verifier),
      screenings_(screenings::v1::ScreeningService::NewStub(screenings)),
      options_(std::move(options)),
      rpcs_(verifier, v1::BookingService::service_full_name()) {}

grpc::ServerUnaryReactor* BookingServiceImpl::RequestContact(
    grpc::CallbackServerContext* context, const v1::RequestContactRequest* req,
    v1::RequestContactResponse* resp) {
  return rpcs_.Serve(
      context, "RequestContact", [=](const server::Call& call) -> absl::Status {
        if (absl::Status s = text::ValidateRequestId(req->request_id());
            !s.ok()) {
          return s;
        }
        if (IsAutomated(*req)) {
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

}  // namespace clinic::booking
