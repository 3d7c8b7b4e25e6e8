#ifndef CLINIC_SERVICES_GATEWAY_GATEWAY_SERVER_H_
#define CLINIC_SERVICES_GATEWAY_GATEWAY_SERVER_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/gateway/rate_limiter.h"

namespace clinic::gateway {

// How the gateway runs. main.cc fills it from flags; tests fill it directly.
struct GatewayOptions {
  // Address and port to listen on; port 0 picks a free port.
  std::string address = "127.0.0.1";
  int port = 0;
  // Threads running the io_context.
  int threads = 2;
  // Largest request body accepted (413 beyond).
  size_t max_body_bytes = 1 << 20;
  // Deadline of a backend call when the request has no Connect-Timeout-Ms.
  absl::Duration default_timeout = absl::Seconds(10);
  // Deadline of each backend health check behind /readyz.
  absl::Duration health_timeout = absl::Seconds(1);
  // Directory of the built web app (index.html, staff/index.html, assets/);
  // empty serves no files.
  std::string web_root;
  // Full service name -> gRPC target. clinic.staff.v1.StaffService is the
  // one staff sessions are checked with; without it no staff method works
  // and /readyz says not ready.
  std::map<std::string, std::string> backends;
  // Required: the shared secret sent to every service
  // (x-clinic-gateway-secret); Start() refuses an empty one.
  std::string gateway_secret;
  // true: the session cookie is "__Host-clinic_session" with Secure (right
  // for HTTPS and for http://localhost / http://127.0.0.1, which browsers
  // treat as secure). false: "clinic_session" without Secure, only for plain
  // HTTP on another host name.
  bool cookie_secure = true;
  // The origin browsers see when it is not "http://<Host header>", e.g.
  // "https://clinic.example" behind a TLS proxy. POSTs from any other Origin
  // are refused.
  std::string public_origin;
  // Per client address: calls to allow_anonymous methods, and /auth/login
  // attempts (the staff service throttles failures per email as well).
  RateLimit anonymous_limit = {30, 10};
  RateLimit login_limit = {10, 5};
  // Deadline of each call to the staff service (session checks, login).
  absl::Duration staff_timeout = absl::Seconds(5);
  // How long a validated session is reused without asking the staff service
  // again (see StaffClient): the bound within which a deactivation, password
  // change or revocation made elsewhere takes effect. Logout through this
  // gateway takes effect at once. Zero: ask at every request.
  absl::Duration session_cache_ttl = absl::Seconds(2);
  // The rate limiters' clock; absl::Now when empty.
  std::function<absl::Time()> clock;
  // If set, used as every client's address instead of the connection's peer
  // address (tests use it to be a non-loopback client).
  std::string client_address_override;
  // How long Stop() lets requests in progress finish.
  absl::Duration shutdown_grace = absl::Seconds(5);
};

// The HTTP gateway: Connect unary -> gRPC for every service in the generated
// descriptor pool, staff sessions (/auth/login, /auth/logout, /auth/me), the
// access option of every method, /healthz, /readyz and the web app's static
// files. Runs on its own threads from Start() until Stop() (or destruction).
class GatewayServer {
 public:
  // Binds, starts the threads and returns the running server.
  static absl::StatusOr<std::unique_ptr<GatewayServer>> Start(
      GatewayOptions options);

  ~GatewayServer();
  GatewayServer(const GatewayServer&) = delete;
  GatewayServer& operator=(const GatewayServer&) = delete;

  // The bound port.
  int port() const;

  // Stops accepting, lets requests in progress finish (up to
  // shutdown_grace), then stops the threads. Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit GatewayServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_GATEWAY_SERVER_H_
