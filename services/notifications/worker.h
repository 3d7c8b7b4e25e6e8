// The notifications worker: reads the appointments outbox in order and
// makes each event's message (in the same transaction as the cursor, so
// every event makes exactly one, whatever restarts), turns due reminders
// into messages, and sends what is due over SMTP with retries.
#ifndef CLINIC_SERVICES_NOTIFICATIONS_WORKER_H_
#define CLINIC_SERVICES_NOTIFICATIONS_WORKER_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/server/caller.h"
#include "services/notifications/smtp.h"
#include "services/notifications/store.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace clinic::notifications {

struct WorkerOptions {
  std::function<absl::Time()> now = absl::Now;
  absl::Duration poll = absl::Seconds(1);
  // Reminders this long before the start (whole days: the same local time).
  absl::Duration reminder_lead = absl::Hours(24);
  // No reminder goes out in these local hours (a window across midnight).
  int quiet_from = 21, quiet_to = 8;
  // The public site, for manage links ("http://127.0.0.1:8080").
  std::string public_base_url;
  SmtpSettings smtp;  // relay empty: messages stay queued
  // Signs the unsubscribe links of reminders (unsubscribe.h); empty: none.
  std::string unsubscribe_key;
};

class Worker {
 public:
  // `store` and `verifier` must outlive the worker.
  Worker(MessageStore* store, std::shared_ptr<grpc::Channel> appointments,
         std::shared_ptr<grpc::Channel> patients,
         const server::CallerVerifier* verifier, WorkerOptions options);
  ~Worker();

  // Runs the loop on a thread until Stop().
  void Start();
  void Stop();

  // One pass of each part (for tests and the loop): events handled,
  // reminders made, messages sent.
  absl::StatusOr<int> Consume();
  absl::StatusOr<int> Remind();
  absl::StatusOr<int> SendDue();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  absl::Notification stop_;
};

}  // namespace clinic::notifications

#endif  // CLINIC_SERVICES_NOTIFICATIONS_WORKER_H_
