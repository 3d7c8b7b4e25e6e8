#include "services/common/server/log.h"

#include <cstdio>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace clinic::server {
namespace {

absl::Mutex g_mu;
std::string* g_name ABSL_GUARDED_BY(g_mu) = nullptr;

}  // namespace

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
                  g_name ? *g_name : "clinic", "] ", message, "\n");
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace clinic::server
