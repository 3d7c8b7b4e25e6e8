// The booking service: wiring only. It owns no schema, so it opens no
// database (see services/common/server/runtime.h).
#include <tuple>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/booking/service.h"
#include "services/common/server/client.h"
#include "services/common/server/log.h"
#include "services/common/server/runtime.h"

ABSL_FLAG(std::string, screenings_backend, "",
          "gRPC target of clinic.screenings.v1.ScreeningService.");
ABSL_FLAG(std::string, appointments_backend, "",
          "gRPC target of the clinic.appointments.v1 services.");
ABSL_FLAG(std::string, patients_backend, "",
          "gRPC target of clinic.patients.v1.PatientService.");

int main(int argc, char** argv) {
  namespace server = clinic::server;
  namespace booking = clinic::booking;
  server::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  auto runtime = server::Runtime::Open("booking", nullptr);
  if (!runtime.ok()) return server::ExitCode(runtime.status());
  booking::BookingServiceImpl::Backends backends;
  for (auto [flag, name, channel] :
       {std::tuple{&FLAGS_screenings_backend, "--screenings_backend",
                   &backends.screenings},
        std::tuple{&FLAGS_appointments_backend, "--appointments_backend",
                   &backends.appointments},
        std::tuple{&FLAGS_patients_backend, "--patients_backend",
                   &backends.patients}}) {
    const std::string target = absl::GetFlag(*flag);
    if (target.empty()) {
      server::LogError(name, " is required");
      return 2;
    }
    *channel = server::NewChannel(target);
  }
  booking::BookingServiceImpl service(&(*runtime)->verifier(), backends,
                                      booking::BookingServiceOptions{});
  return (*runtime)->Serve(
      {{&service, booking::v1::BookingService::service_full_name()}});
}
