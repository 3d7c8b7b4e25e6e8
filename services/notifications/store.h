// Storage of messages, the outbox cursor and reminders (schema
// "notifications"). A message is made at most once per source (an event's
// cursor, or an appointment's reminder for one start time).
#ifndef CLINIC_SERVICES_NOTIFICATIONS_STORE_H_
#define CLINIC_SERVICES_NOTIFICATIONS_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/notifications/v1/notifications.pb.h"
#include "services/common/db/pool.h"

namespace clinic::notifications {

inline constexpr char kSchema[] = "notifications";

struct NewMessage {
  std::string source;  // unique
  std::string appointment, patient;
  v1::Message::Kind kind = v1::Message::KIND_UNSPECIFIED;
  std::string recipient;  // empty: NO_ADDRESS
  std::string subject, body, ics;
  bool opted_out = false;  // the patient wants no email: OPTED_OUT
};

struct ReminderPlan {
  bool cancel = false;  // cancel the appointment's reminder
  std::string appointment, patient;
  absl::Time start, due;
  std::string recipient, subject, body;
};

struct MessageQuery {
  std::string patient, appointment;
  v1::DeliveryState state = v1::DELIVERY_STATE_UNSPECIFIED;
  int page_size = 50;
  int64_t before_id = 0;  // 0: from the newest
};

class MessageStore {
 public:
  // `pool` must outlive the store.
  explicit MessageStore(db::Pool* pool) : pool_(pool) {}

  // Where the appointments outbox has been read up to.
  absl::StatusOr<std::string> Cursor();
  // How many messages with a calendar file the appointment has (the next
  // file's SEQUENCE).
  absl::StatusOr<int> CalendarCount(const std::string& appointment);
  // In one transaction: checks the cursor is still `from` (ABORTED if
  // another reader moved it), makes the messages (a source made before is
  // skipped), applies the reminder plan, and moves the cursor to `to`.
  absl::Status Apply(const std::string& from, const std::string& to,
                     const std::vector<NewMessage>& messages,
                     const std::optional<ReminderPlan>& reminder);
  // Turns the reminders due at `now` into messages (once per appointment
  // and start time); how many.
  absl::StatusOr<int> FireReminders(absl::Time now);
  // Messages due for an attempt at `now`, leased for `lease` (a crash while
  // sending retries after it, with the same Message-ID).
  absl::StatusOr<std::vector<v1::Message>> ClaimDue(absl::Time now,
                                                    absl::Duration lease,
                                                    int limit);
  // The outcome of an attempt: sent with the relay's answer, or failed
  // (retried with backoff; given up after 5 attempts).
  absl::Status Record(const std::string& name, bool sent,
                      const std::string& result, absl::Time now);
  absl::StatusOr<std::vector<v1::Message>> List(const MessageQuery& q);
  // Cancels the patient's pending reminders; how many.
  absl::StatusOr<int> CancelReminders(const std::string& patient);

 private:
  db::Pool* pool_;
};

absl::Status MigrateNotifications(const std::string& conninfo);

}  // namespace clinic::notifications

#endif  // CLINIC_SERVICES_NOTIFICATIONS_STORE_H_
