// The initial evaluation ConvertScreening books, through
// clinic.appointments.v1.AppointmentService, asked as the caller (the
// appointments service applies its access rules and slot checks).
#ifndef CLINIC_SERVICES_SCREENINGS_SCHEDULING_H_
#define CLINIC_SERVICES_SCREENINGS_SCHEDULING_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/screenings/v1/screenings_service.pb.h"
#include "services/common/server/caller.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace clinic::screenings {

class EvaluationScheduler {
 public:
  virtual ~EvaluationScheduler() = default;

  // Books `convert`'s slot for `patient`; returns "appointments/{uuid}".
  // Idempotent by convert.request_id(): the same request books once.
  // The appointments service's refusals come back as they are (field
  // violations renamed to ConvertScreening's fields).
  virtual absl::StatusOr<std::string> Book(
      const server::Caller& caller, const std::string& patient,
      const v1::ConvertScreeningRequest& convert) = 0;
  // Cancels an appointment Book made (undoing a conversion that lost a race).
  virtual absl::Status Cancel(const server::Caller& caller,
                              const std::string& appointment,
                              const std::string& reason) = 0;
};

class GrpcEvaluationScheduler : public EvaluationScheduler {
 public:
  // `verifier` must outlive this.
  GrpcEvaluationScheduler(std::shared_ptr<grpc::Channel> channel,
                          const server::CallerVerifier* verifier,
                          absl::Duration timeout = absl::Seconds(5));
  ~GrpcEvaluationScheduler() override;

  absl::StatusOr<std::string> Book(
      const server::Caller& caller, const std::string& patient,
      const v1::ConvertScreeningRequest& convert) override;
  absl::Status Cancel(const server::Caller& caller,
                      const std::string& appointment,
                      const std::string& reason) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clinic::screenings

#endif  // CLINIC_SERVICES_SCREENINGS_SCHEDULING_H_
