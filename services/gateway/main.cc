// The clinic gateway: flags -> GatewayServer -> wait for SIGINT/SIGTERM.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/time/time.h"
#include "services/common/server/caller.h"
#include "services/gateway/backend_flags.h"
#include "services/gateway/gateway_server.h"

ABSL_FLAG(std::string, address, "127.0.0.1", "Address to listen on.");
ABSL_FLAG(int, port, 8080, "Port to listen on; 0 picks a free one.");
ABSL_FLAG(int, threads, 2, "Threads serving HTTP.");
ABSL_FLAG(int64_t, max_body_bytes, 1 << 20,
          "Largest request body accepted; larger is 413.");
ABSL_FLAG(int64_t, default_timeout_ms, 10000,
          "Deadline of a backend call without Connect-Timeout-Ms.");
ABSL_FLAG(std::string, web_root, "",
          "Directory of the built web app (web/dist); empty serves no files.");
ABSL_FLAG(std::vector<std::string>, backend, {},
          "<full.service.Name>=<host:port>; repeatable or comma separated. "
          "clinic.staff.v1.StaffService is needed for staff sessions.");
ABSL_FLAG(std::string, gateway_secret_file, "",
          "File holding the secret sent to every service "
          "(x-clinic-gateway-secret); $CLINIC_GATEWAY_SECRET wins. Required.");
ABSL_FLAG(bool, cookie_secure, true,
          "true: session cookie __Host-clinic_session with Secure (HTTPS, "
          "and http://localhost or http://127.0.0.1, which browsers treat as "
          "secure). false: clinic_session without Secure, only for plain HTTP "
          "on another host name.");
ABSL_FLAG(std::string, public_origin, "",
          "The origin browsers use when it is not http://<Host header>, e.g. "
          "https://clinic.example behind a TLS proxy. POSTs from any other "
          "Origin are refused.");
ABSL_FLAG(double, anonymous_rate_per_minute, 30,
          "Calls per minute per client address to public (allow_anonymous) "
          "methods; 0 turns the limit off.");
ABSL_FLAG(int, anonymous_burst, 10,
          "Public calls a client address may make at once.");
ABSL_FLAG(double, login_rate_per_minute, 10,
          "/auth/login attempts per minute per client address; 0 turns the "
          "limit off.");
ABSL_FLAG(int, login_burst, 5,
          "/auth/login attempts a client address may make at once.");
ABSL_FLAG(absl::Duration, session_cache_ttl, absl::Seconds(2),
          "How long a validated session is reused without asking the staff "
          "service: the bound within which a deactivation, password change "
          "or revocation takes effect (logout here is at once). 0: off.");
ABSL_FLAG(int64_t, staff_timeout_ms, 5000,
          "Deadline of each call to the staff service (session checks).");

int main(int argc, char** argv) {
  // absl keeps only the last --backend; collect every occurrence first.
  std::vector<std::string> backend_values =
      clinic::gateway::CollectRepeatedFlag(argc, argv, "backend");
  absl::ParseCommandLine(argc, argv);

  absl::StatusOr<std::map<std::string, std::string>> backends =
      clinic::gateway::ParseBackendSpecs(backend_values);
  if (!backends.ok()) {
    std::cerr << backends.status().message() << "\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_max_body_bytes) <= 0 ||
      absl::GetFlag(FLAGS_default_timeout_ms) <= 0 ||
      absl::GetFlag(FLAGS_staff_timeout_ms) <= 0) {
    std::cerr << "--max_body_bytes, --default_timeout_ms and "
                 "--staff_timeout_ms must be positive\n";
    return 2;
  }
  absl::StatusOr<std::string> secret = clinic::server::LoadGatewaySecret(
      absl::GetFlag(FLAGS_gateway_secret_file));
  if (!secret.ok()) {
    std::cerr << secret.status().message() << "\n";
    return 2;
  }

  clinic::gateway::GatewayOptions options;
  options.address = absl::GetFlag(FLAGS_address);
  options.port = absl::GetFlag(FLAGS_port);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.max_body_bytes =
      static_cast<size_t>(absl::GetFlag(FLAGS_max_body_bytes));
  options.default_timeout =
      absl::Milliseconds(absl::GetFlag(FLAGS_default_timeout_ms));
  options.web_root = absl::GetFlag(FLAGS_web_root);
  options.backends = *std::move(backends);
  options.gateway_secret = *std::move(secret);
  options.cookie_secure = absl::GetFlag(FLAGS_cookie_secure);
  options.public_origin = absl::GetFlag(FLAGS_public_origin);
  options.anonymous_limit = {absl::GetFlag(FLAGS_anonymous_rate_per_minute),
                             absl::GetFlag(FLAGS_anonymous_burst)};
  options.login_limit = {absl::GetFlag(FLAGS_login_rate_per_minute),
                         absl::GetFlag(FLAGS_login_burst)};
  options.staff_timeout =
      absl::Milliseconds(absl::GetFlag(FLAGS_staff_timeout_ms));
  options.session_cache_ttl = absl::GetFlag(FLAGS_session_cache_ttl);
  if (options.session_cache_ttl < absl::ZeroDuration() ||
      options.session_cache_ttl > absl::Minutes(1)) {
    std::cerr << "gateway: --session_cache_ttl must be from 0 to 1m\n";
    return 2;
  }

  // Block the stop signals in every thread (the server's threads inherit the
  // mask) and take them synchronously here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto server = clinic::gateway::GatewayServer::Start(options);
  if (!server.ok()) {
    std::cerr << server.status().message() << "\n";
    return 1;
  }
  for (const auto& [service, target] : options.backends) {
    std::cerr << "gateway: " << service << " -> " << target << "\n";
  }
  std::printf("gateway listening on http://%s:%d\n",
              options.address.find(':') == std::string::npos
                  ? options.address.c_str()
                  : ("[" + options.address + "]").c_str(),
              (*server)->port());
  std::fflush(stdout);

  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cerr << "gateway: signal " << signal << ", shutting down\n";
  (*server)->Stop();
  return 0;
}
