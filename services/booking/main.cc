// The booking service: wiring only. It owns no schema, so it opens no
// database (see services/common/server/runtime.h).
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/booking/service.h"
#include "services/common/server/client.h"
#include "services/common/server/log.h"
#include "services/common/server/runtime.h"

ABSL_FLAG(std::string, screenings_backend, "",
          "gRPC target of clinic.screenings.v1.ScreeningService.");

int main(int argc, char** argv) {
  namespace server = clinic::server;
  namespace booking = clinic::booking;
  server::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  auto runtime = server::Runtime::Open("booking", nullptr);
  if (!runtime.ok()) return server::ExitCode(runtime.status());
  const std::string screenings = absl::GetFlag(FLAGS_screenings_backend);
  if (screenings.empty()) {
    server::LogError("--screenings_backend is required");
    return 2;
  }
  booking::BookingServiceImpl service(&(*runtime)->verifier(),
                                      server::NewChannel(screenings),
                                      booking::BookingServiceOptions{});
  return (*runtime)->Serve(
      {{&service, booking::v1::BookingService::service_full_name()}});
}
