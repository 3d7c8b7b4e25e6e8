// Sending one email over SMTP with libcurl: STARTTLS when the relay offers
// it, optional login. One call per message (a connection each: a clinic
// sends a few hundred a day).
#ifndef CLINIC_SERVICES_NOTIFICATIONS_SMTP_H_
#define CLINIC_SERVICES_NOTIFICATIONS_SMTP_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace clinic::notifications {

struct SmtpSettings {
  // "smtp://host:port" (or smtps://); empty: sending is off.
  std::string relay;
  // The envelope and From address.
  std::string sender = "clinic@localhost";
  std::string username, password;
  absl::Duration timeout = absl::Seconds(20);
};

struct Email {
  std::string to;
  std::string subject;
  std::string body;        // text/plain, UTF-8
  std::string ics;         // attached as invite.ics (text/calendar) if set
  bool cancel = false;     // the calendar file's METHOD
  std::string message_id;  // stable: a retry carries the same Message-ID
};

// The MIME message (headers and body) as sent.
std::string MimeMessage(const SmtpSettings& smtp, const Email& email,
                        absl::Time date);

// Sends; the relay's final answer ("250 ...") or UNAVAILABLE with why.
absl::StatusOr<std::string> Send(const SmtpSettings& smtp, const Email& email);

}  // namespace clinic::notifications

#endif  // CLINIC_SERVICES_NOTIFICATIONS_SMTP_H_
