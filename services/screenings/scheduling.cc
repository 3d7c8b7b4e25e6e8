#include "services/screenings/scheduling.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "services/common/server/client.h"
#include "services/common/status/errors.h"
#include "services/common/status/status.h"

namespace clinic::screenings {

namespace av1 = appointments::v1;

struct GrpcEvaluationScheduler::Impl {
  std::unique_ptr<av1::AppointmentService::Stub> stub;
  const server::CallerVerifier* verifier;
  absl::Duration timeout;
};

GrpcEvaluationScheduler::GrpcEvaluationScheduler(
    std::shared_ptr<grpc::Channel> channel,
    const server::CallerVerifier* verifier, absl::Duration timeout)
    : impl_(new Impl{av1::AppointmentService::NewStub(std::move(channel)),
                     verifier, timeout}) {}

GrpcEvaluationScheduler::~GrpcEvaluationScheduler() = default;

absl::StatusOr<std::string> GrpcEvaluationScheduler::Book(
    const server::Caller& caller, const std::string& patient,
    const v1::ConvertScreeningRequest& convert) {
  av1::BookAppointmentRequest req;
  av1::Appointment* a = req.mutable_appointment();
  a->set_patient(patient);
  a->set_location(convert.location());
  a->set_appointment_type(convert.appointment_type());
  a->set_therapist(convert.therapist());
  *a->mutable_start_time() = convert.start_time();
  a->set_notes(convert.notes());
  a->set_source(av1::APPOINTMENT_SOURCE_FRONT_DESK);
  req.set_request_id(convert.request_id());
  auto context = server::NewCallContext(impl_->timeout);
  impl_->verifier->Forward(caller, *context);
  av1::Appointment booked;
  grpc::Status s = impl_->stub->BookAppointment(context.get(), req, &booked);
  if (!s.ok()) {
    // "appointment.start_time" is ConvertScreening's "start_time".
    return status::RenameFields(status::FromGrpcStatus(s),
                                [](absl::string_view field) {
                                  absl::ConsumePrefix(&field, "appointment.");
                                  return std::string(field);
                                });
  }
  return booked.name();
}

absl::Status GrpcEvaluationScheduler::Cancel(const server::Caller& caller,
                                             const std::string& appointment,
                                             const std::string& reason) {
  av1::CancelAppointmentRequest req;
  req.set_name(appointment);
  req.set_reason(reason);
  auto context = server::NewCallContext(impl_->timeout);
  impl_->verifier->Forward(caller, *context);
  av1::CancelAppointmentResponse resp;
  return status::FromGrpcStatus(
      impl_->stub->CancelAppointment(context.get(), req, &resp));
}

}  // namespace clinic::screenings
