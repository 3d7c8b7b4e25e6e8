#include "services/common/server/log.h"

#include <cstdio>
#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace clinic::server {
namespace {

absl::Mutex g_mu;
std::string* g_name ABSL_GUARDED_BY(g_mu) = nullptr;

thread_local std::string t_request_id;

}  // namespace

ScopedRequestId::ScopedRequestId(absl::string_view request_id)
    : previous_(std::move(t_request_id)) {
  t_request_id = std::string(request_id);
}

ScopedRequestId::~ScopedRequestId() { t_request_id = std::move(previous_); }

void SetLogName(absl::string_view name) {
  absl::MutexLock lock(&g_mu);
  delete g_name;
  g_name = new std::string(name);
}

void Log(Severity severity, absl::string_view message) {
  const char level = severity == Severity::kInfo      ? 'I'
                     : severity == Severity::kWarning ? 'W'
                                                      : 'E';
  std::string line = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                      absl::UTCTimeZone());
  absl::MutexLock lock(&g_mu);
  absl::StrAppend(&line, " ", std::string(1, level), " ",
                  g_name ? *g_name : "clinic", "] ", message);
  if (!t_request_id.empty())
    absl::StrAppend(&line, " request_id=", t_request_id);
  line += "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace clinic::server
