// The screenings service: wiring only (see services/common/server/runtime.h).
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "services/common/server/log.h"
#include "services/common/server/runtime.h"
#include "services/screenings/pg_store.h"
#include "services/screenings/service.h"

ABSL_FLAG(std::string, default_region, "US",
          "Region (ISO 3166) for phone numbers without a country code.");

int main(int argc, char** argv) {
  namespace server = clinic::server;
  namespace screenings = clinic::screenings;
  server::BlockTerminationSignals();
  absl::ParseCommandLine(argc, argv);
  auto runtime =
      server::Runtime::Open("screenings", screenings::MigrateScreenings);
  if (!runtime.ok()) return server::ExitCode(runtime.status());
  screenings::PgContactStore store(&(*runtime)->pool());
  screenings::ScreeningServiceOptions options;
  options.default_region = absl::GetFlag(FLAGS_default_region);
  auto protocols = screenings::LoadShippedProtocols();
  if (!protocols.ok()) {
    server::LogError("screening protocols: ", protocols.status().message());
    return 2;
  }
  options.protocols = *std::move(protocols);
  screenings::ScreeningServiceImpl service(&store, &(*runtime)->verifier(),
                                           options);
  return (*runtime)->Serve(
      {{&service, screenings::v1::ScreeningService::service_full_name()}});
}
