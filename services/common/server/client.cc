#include "services/common/server/client.h"

#include <grpc/grpc.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"

namespace clinic::server {

const std::vector<std::string>& ClinicServices() {
  static const auto* services = new std::vector<std::string>{
      "clinic.staff.v1.StaffService",
      "clinic.patients.v1.PatientService",
      "clinic.appointments.v1.LocationService",
      "clinic.appointments.v1.AppointmentTypeService",
      "clinic.appointments.v1.ScheduleService",
      "clinic.appointments.v1.AppointmentService",
      "clinic.screenings.v1.ScreeningService",
      "clinic.booking.v1.BookingService",
      "clinic.therapy_plans.v1.TherapyPlanService",
      "clinic.notifications.v1.NotificationService",
  };
  return *services;
}

namespace {

bool SafeToRepeat(const google::protobuf::MethodDescriptor& m) {
  for (const char* read : {"Get", "List", "Find", "Resolve", "Read", "Validate",
                           "Existing", "Search", "Check"}) {
    if (absl::StartsWith(m.name(), read)) return true;
  }
  return m.input_type()->FindFieldByName("request_id") != nullptr;
}

}  // namespace

std::string RetryServiceConfig() {
  std::vector<std::string> names;
  for (const std::string& service : ClinicServices()) {
    const google::protobuf::ServiceDescriptor* s =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            service);
    if (s == nullptr) continue;  // not linked into this binary
    for (int i = 0; i < s->method_count(); ++i) {
      if (!SafeToRepeat(*s->method(i))) continue;
      names.push_back(absl::StrCat(R"({"service":")", service,
                                   R"(","method":")", s->method(i)->name(),
                                   R"("})"));
    }
  }
  if (names.empty()) return "{}";
  return absl::StrCat(
      R"({"methodConfig":[{"name":[)", absl::StrJoin(names, ","),
      R"(],"retryPolicy":{"maxAttempts":4,"initialBackoff":"0.1s",)"
      R"("maxBackoff":"1s","backoffMultiplier":2,)"
      R"("retryableStatusCodes":["UNAVAILABLE"]}}]})");
}

std::shared_ptr<grpc::Channel> NewChannel(const std::string& target) {
  static const std::string* config = new std::string(RetryServiceConfig());
  grpc::ChannelArguments args;
  args.SetLoadBalancingPolicyName("round_robin");
  args.SetServiceConfigJSON(*config);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

std::unique_ptr<grpc::ClientContext> NewCallContext(absl::Duration timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(
      std::chrono::system_clock::now() +
      std::chrono::milliseconds(absl::ToInt64Milliseconds(timeout)));
  return context;
}

}  // namespace clinic::server
