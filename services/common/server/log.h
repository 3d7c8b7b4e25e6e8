// One-line logs to stderr: "2026-11-24T10:00:00.123Z I patients] message".
// Never log passwords, session tokens or patient details.
#ifndef CLINIC_SERVICES_COMMON_SERVER_LOG_H_
#define CLINIC_SERVICES_COMMON_SERVER_LOG_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace clinic::server {

enum class Severity { kInfo, kWarning, kError };

// Sets the name printed on every line (the service's name); default "clinic".
void SetLogName(absl::string_view name);

// While alive, lines written by this thread carry "request_id=<id>" (the
// call the thread is serving). Nests; an empty id prints nothing.
class ScopedRequestId {
 public:
  explicit ScopedRequestId(absl::string_view request_id);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};

// Writes one line; thread-safe.
void Log(Severity severity, absl::string_view message);

template <typename... Args>
void LogInfo(const Args&... args) {
  Log(Severity::kInfo, absl::StrCat(args...));
}
template <typename... Args>
void LogWarning(const Args&... args) {
  Log(Severity::kWarning, absl::StrCat(args...));
}
template <typename... Args>
void LogError(const Args&... args) {
  Log(Severity::kError, absl::StrCat(args...));
}

}  // namespace clinic::server

#endif  // CLINIC_SERVICES_COMMON_SERVER_LOG_H_
