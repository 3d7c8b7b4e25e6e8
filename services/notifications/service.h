// clinic.notifications.v1.NotificationService: the outbox page's reads.
#ifndef CLINIC_SERVICES_NOTIFICATIONS_SERVICE_H_
#define CLINIC_SERVICES_NOTIFICATIONS_SERVICE_H_

#include <memory>
#include <string>

#include "clinic/notifications/v1/notifications_service.grpc.pb.h"
#include "services/common/server/rpc.h"
#include "services/notifications/feeds.h"
#include "services/notifications/store.h"

namespace clinic::notifications {

struct ServiceOptions {
  // Where an unsubscribe is recorded on the patient, and patients' names
  // for feeds that show them.
  std::shared_ptr<grpc::Channel> patients;
  // Where feeds read therapists' appointments.
  std::shared_ptr<grpc::Channel> appointments;
  // Checks the unsubscribe links' tokens.
  std::string unsubscribe_key;
  // The site feed URLs are made on ("http://127.0.0.1:8080").
  std::string public_base_url;
  // Whether feeds name patients (the practice's choice; off by default).
  bool feed_patient_names = false;
};

class NotificationServiceImpl final
    : public v1::NotificationService::CallbackService {
 public:
  // `store`, `feeds` and `verifier` must outlive the service.
  NotificationServiceImpl(MessageStore* store, FeedStore* feeds,
                          const server::CallerVerifier* verifier,
                          ServiceOptions options);
  ~NotificationServiceImpl() override;

  grpc::ServerUnaryReactor* UnsubscribeFromReminders(
      grpc::CallbackServerContext* context,
      const v1::UnsubscribeRequest* request,
      v1::UnsubscribeResponse* response) override;

  grpc::ServerUnaryReactor* CreateCalendarFeed(
      grpc::CallbackServerContext* context,
      const v1::CalendarFeedRequest* request,
      v1::CalendarFeed* response) override;
  grpc::ServerUnaryReactor* GetCalendarFeed(
      grpc::CallbackServerContext* context,
      const v1::CalendarFeedRequest* request,
      v1::CalendarFeed* response) override;
  grpc::ServerUnaryReactor* RevokeCalendarFeed(
      grpc::CallbackServerContext* context,
      const v1::CalendarFeedRequest* request,
      v1::RevokeCalendarFeedResponse* response) override;
  grpc::ServerUnaryReactor* ReadCalendarFeed(
      grpc::CallbackServerContext* context,
      const v1::ReadCalendarFeedRequest* request,
      v1::CalendarFile* response) override;

  grpc::ServerUnaryReactor* ListMessages(
      grpc::CallbackServerContext* context,
      const v1::ListMessagesRequest* request,
      v1::ListMessagesResponse* response) override;

 private:
  struct Stubs;
  // The feed's calendar text.
  absl::StatusOr<std::string> FeedCalendar(const std::string& therapist);

  MessageStore* store_;
  FeedStore* feeds_;
  const server::CallerVerifier* verifier_;
  std::unique_ptr<Stubs> stubs_;
  ServiceOptions options_;
  server::Rpcs rpcs_;
};

}  // namespace clinic::notifications

#endif  // CLINIC_SERVICES_NOTIFICATIONS_SERVICE_H_
