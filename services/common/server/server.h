// The gRPC server every clinic service runs (callback API; handlers serve
// calls through server::Rpcs, which queues blocking work on a bounded
// WorkerPool): health service (per-service status), optional reflection, a
// maximum message size, and graceful shutdown (report NOT_SERVING, drain
// in-flight calls up to a deadline, then stop).
#ifndef CLINIC_SERVICES_COMMON_SERVER_SERVER_H_
#define CLINIC_SERVICES_COMMON_SERVER_SERVER_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace grpc {
class Server;
class Service;
}  // namespace grpc

namespace clinic::server {

struct ServerOptions {
  // Interface to bind; services listen on loopback unless deployed otherwise.
  std::string address = "127.0.0.1";
  // 0 picks a free port (tests); see Server::port().
  int port = 0;
  // Largest request or response message accepted.
  int max_message_bytes = 4 * 1024 * 1024;
  // gRPC server reflection; for development (grpcurl), off in production.
  bool reflection = false;
  // How long Shutdown() lets in-flight calls finish.
  absl::Duration drain_timeout = absl::Seconds(10);
};

// A service to serve and the name the health service reports it under
// (its full name, e.g. "clinic.patients.v1.PatientService").
struct ServiceEntry {
  grpc::Service* service;  // not owned; must outlive the Server
  std::string health_name;
};

class Server {
 public:
  // Binds, starts and marks every service SERVING.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const ServerOptions& options, std::vector<ServiceEntry> services);
  ~Server();

  // The bound port (useful when options.port was 0).
  int port() const { return port_; }

  // Sets every service's health status (and the overall "" status).
  void SetServing(bool serving);

  // Marks NOT_SERVING, waits for in-flight calls up to the drain timeout,
  // then cancels what is left. Idempotent.
  void Shutdown();

  // Blocks until the server has shut down.
  void Wait();

 private:
  Server() = default;
  std::unique_ptr<grpc::Server> server_;
  std::vector<std::string> health_names_;
  absl::Duration drain_timeout_;
  int port_ = 0;
  bool shut_down_ = false;
};

// Call first thing in main, before any thread starts: blocks SIGINT and
// SIGTERM in every thread so WaitForTerminationSignal can take them.
void BlockTerminationSignals();

// Blocks until SIGINT or SIGTERM arrives; returns the signal number.
int WaitForTerminationSignal();

}  // namespace clinic::server

#endif  // CLINIC_SERVICES_COMMON_SERVER_SERVER_H_
