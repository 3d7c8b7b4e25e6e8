// What every handler of the four scheduling services does first: verify the
// gateway's secret, read the caller, check the RPC's access option, then
// run the body and convert its status once, at the edge.
#ifndef CLINIC_SERVICES_APPOINTMENTS_HANDLER_H_
#define CLINIC_SERVICES_APPOINTMENTS_HANDLER_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "services/appointments/staff_directory.h"
#include "services/common/db/request_key.h"
#include "services/common/server/caller.h"

namespace clinic::appointments {

struct SchedulingOptions {
  // The clock; tests inject their own.
  std::function<absl::Time()> now = absl::Now;
  // How long HoldSlot keeps a slot.
  absl::Duration hold_ttl = absl::Minutes(5);
  // Where UpdateProviderSchedule looks up the therapist (an active
  // therapist) and records their credentials for appointment types'
  // allowed_credentials. Null: not checked, credentials stay unknown.
  StaffDirectory* staff = nullptr;
};

class Handler {
 public:
  // `verifier` must outlive the handler; `service` is the full name, e.g.
  // "clinic.appointments.v1.AppointmentService".
  Handler(const server::CallerVerifier* verifier, std::string service);

  grpc::Status Handle(
      grpc::ServerContext* context, const char* method,
      absl::FunctionRef<absl::Status(const server::Caller&)> body) const;

 private:
  const server::CallerVerifier* verifier_;
  std::string service_;
};

// Page size: 0 -> `default_size`, capped at `max_size`; negative is
// INVALID_ARGUMENT.
absl::StatusOr<int> PageSize(int requested, int default_size, int max_size);

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_HANDLER_H_
