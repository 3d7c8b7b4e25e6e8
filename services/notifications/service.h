// clinic.notifications.v1.NotificationService: the outbox page's reads.
#ifndef CLINIC_SERVICES_NOTIFICATIONS_SERVICE_H_
#define CLINIC_SERVICES_NOTIFICATIONS_SERVICE_H_

#include <memory>
#include <string>

#include "clinic/notifications/v1/notifications_service.grpc.pb.h"
#include "services/common/server/rpc.h"
#include "services/notifications/store.h"

namespace clinic::notifications {

class NotificationServiceImpl final
    : public v1::NotificationService::CallbackService {
 public:
  // `store` and `verifier` must outlive the service.
  // `patients` is where an unsubscribe is recorded on the patient;
  // `unsubscribe_key` checks the links' tokens.
  NotificationServiceImpl(MessageStore* store,
                          const server::CallerVerifier* verifier,
                          std::shared_ptr<grpc::Channel> patients,
                          std::string unsubscribe_key);
  ~NotificationServiceImpl() override;

  grpc::ServerUnaryReactor* UnsubscribeFromReminders(
      grpc::CallbackServerContext* context,
      const v1::UnsubscribeRequest* request,
      v1::UnsubscribeResponse* response) override;

  grpc::ServerUnaryReactor* ListMessages(
      grpc::CallbackServerContext* context,
      const v1::ListMessagesRequest* request,
      v1::ListMessagesResponse* response) override;

 private:
  struct Patients;
  MessageStore* store_;
  const server::CallerVerifier* verifier_;
  std::unique_ptr<Patients> patients_;
  std::string unsubscribe_key_;
  server::Rpcs rpcs_;
};

}  // namespace clinic::notifications

#endif  // CLINIC_SERVICES_NOTIFICATIONS_SERVICE_H_
