// clinic.notifications.v1.NotificationService: the outbox page's reads.
#ifndef CLINIC_SERVICES_NOTIFICATIONS_SERVICE_H_
#define CLINIC_SERVICES_NOTIFICATIONS_SERVICE_H_

#include "clinic/notifications/v1/notifications_service.grpc.pb.h"
#include "services/common/server/rpc.h"
#include "services/notifications/store.h"

namespace clinic::notifications {

class NotificationServiceImpl final
    : public v1::NotificationService::CallbackService {
 public:
  // `store` and `verifier` must outlive the service.
  NotificationServiceImpl(MessageStore* store,
                          const server::CallerVerifier* verifier);

  grpc::ServerUnaryReactor* ListMessages(
      grpc::CallbackServerContext* context,
      const v1::ListMessagesRequest* request,
      v1::ListMessagesResponse* response) override;

 private:
  MessageStore* store_;
  server::Rpcs rpcs_;
};

}  // namespace clinic::notifications

#endif  // CLINIC_SERVICES_NOTIFICATIONS_SERVICE_H_
