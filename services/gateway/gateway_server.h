#ifndef CLINIC_SERVICES_GATEWAY_GATEWAY_SERVER_H_
#define CLINIC_SERVICES_GATEWAY_GATEWAY_SERVER_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

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
  // Full service name -> gRPC target.
  std::map<std::string, std::string> backends;
  // If set, used as every client's address instead of the connection's peer
  // address (tests use it to be a non-loopback client).
  std::string client_address_override;
  // How long Stop() lets requests in progress finish.
  absl::Duration shutdown_grace = absl::Seconds(5);
};

// The HTTP gateway: Connect unary -> gRPC for every service in the generated
// descriptor pool, /healthz, /readyz and the web app's static files. Runs on
// its own threads from Start() until Stop() (or destruction).
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
