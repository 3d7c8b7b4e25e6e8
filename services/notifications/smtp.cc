#include "services/notifications/smtp.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace clinic::notifications {
namespace {

struct Reader {
  const std::string* data;
  size_t at = 0;
};

size_t Read(char* buffer, size_t size, size_t count, void* user) {
  auto* r = static_cast<Reader*>(user);
  const size_t n = std::min(size * count, r->data->size() - r->at);
  std::memcpy(buffer, r->data->data() + r->at, n);
  r->at += n;
  return n;
}

// Base64 in lines of 76 (RFC 2045).
std::string Wrapped(const std::string& bytes) {
  const std::string b = absl::Base64Escape(bytes);
  std::string out;
  for (size_t i = 0; i < b.size(); i += 76) {
    absl::StrAppend(&out, b.substr(i, 76), "\r\n");
  }
  return out;
}

// RFC 2047 encoded-word for a header that may hold non-ASCII text.
std::string Header(const std::string& text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x80 && c != '\r' && c != '\n';
  });
  if (ascii) return text;
  return absl::StrCat("=?UTF-8?B?", absl::Base64Escape(text), "?=");
}

std::once_flag curl_once;

}  // namespace

std::string MimeMessage(const SmtpSettings& smtp, const Email& e,
                        absl::Time date) {
  const std::string boundary = "clinic-" + e.message_id.substr(0, 24);
  std::string m =
      absl::StrCat("Date: ",
                   absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", date,
                                    absl::UTCTimeZone()),
                   "\r\nFrom: ", smtp.sender, "\r\nTo: ", e.to,
                   "\r\nSubject: ", Header(e.subject), "\r\nMessage-ID: <",
                   e.message_id, ">\r\nMIME-Version: 1.0\r\n");
  if (e.ics.empty()) {
    absl::StrAppend(&m,
                    "Content-Type: text/plain; charset=UTF-8\r\n"
                    "Content-Transfer-Encoding: base64\r\n\r\n",
                    Wrapped(e.body));
    return m;
  }
  absl::StrAppend(
      &m, "Content-Type: multipart/mixed; boundary=\"", boundary, "\"\r\n\r\n",
      "--", boundary,
      "\r\nContent-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n",
      Wrapped(e.body), "--", boundary,
      "\r\nContent-Type: text/calendar; charset=UTF-8; method=",
      e.cancel ? "CANCEL" : "REQUEST",
      "\r\nContent-Disposition: attachment; filename=\"invite.ics\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n",
      Wrapped(e.ics), "--", boundary, "--\r\n");
  return m;
}

absl::StatusOr<std::string> Send(const SmtpSettings& smtp, const Email& e) {
  std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  const std::string message = MimeMessage(smtp, e, absl::Now());
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  Reader reader{&message};
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + e.to + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_URL, smtp.relay.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + smtp.sender + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, &Read);
  curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(smtp.timeout)));
  if (!smtp.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, smtp.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, smtp.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(curl);
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat("SMTP: ", curl_easy_strerror(rc),
                                               " (last reply ", code, ")"));
  }
  return absl::StrCat(code, " accepted by ", smtp.relay);
}

}  // namespace clinic::notifications
