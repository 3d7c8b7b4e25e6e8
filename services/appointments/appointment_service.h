// clinic.appointments.v1.AppointmentService: availability, holds, bookings
// and their lifecycle, the waitlist. Validates, checks the slot against the
// rules (grid, hours, credentials, online limits), calls the store (which,
// with the database, rules out double booking), maps to protos.
#ifndef CLINIC_SERVICES_APPOINTMENTS_APPOINTMENT_SERVICE_H_
#define CLINIC_SERVICES_APPOINTMENTS_APPOINTMENT_SERVICE_H_

#include <string>

#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "services/appointments/handler.h"
#include "services/appointments/store.h"

namespace clinic::appointments {

class AppointmentServiceImpl final : public v1::AppointmentService::Service {
 public:
  // `store` and `verifier` must outlive the service.
  AppointmentServiceImpl(SchedulingStore* store,
                         const server::CallerVerifier* verifier,
                         SchedulingOptions options);

  grpc::Status FindAvailableSlots(
      grpc::ServerContext* context,
      const v1::FindAvailableSlotsRequest* request,
      v1::FindAvailableSlotsResponse* response) override;
  grpc::Status HoldSlot(grpc::ServerContext* context,
                        const v1::HoldSlotRequest* request,
                        v1::Hold* response) override;
  grpc::Status BookAppointment(grpc::ServerContext* context,
                               const v1::BookAppointmentRequest* request,
                               v1::Appointment* response) override;
  grpc::Status GetAppointment(grpc::ServerContext* context,
                              const v1::GetAppointmentRequest* request,
                              v1::Appointment* response) override;
  grpc::Status ListAppointments(
      grpc::ServerContext* context, const v1::ListAppointmentsRequest* request,
      v1::ListAppointmentsResponse* response) override;
  grpc::Status RescheduleAppointment(
      grpc::ServerContext* context,
      const v1::RescheduleAppointmentRequest* request,
      v1::Appointment* response) override;
  grpc::Status ConfirmAppointment(grpc::ServerContext* context,
                                  const v1::AppointmentVerbRequest* request,
                                  v1::Appointment* response) override;
  grpc::Status CheckInAppointment(grpc::ServerContext* context,
                                  const v1::AppointmentVerbRequest* request,
                                  v1::Appointment* response) override;
  grpc::Status CompleteAppointment(grpc::ServerContext* context,
                                   const v1::AppointmentVerbRequest* request,
                                   v1::Appointment* response) override;
  grpc::Status MarkNoShow(grpc::ServerContext* context,
                          const v1::AppointmentVerbRequest* request,
                          v1::Appointment* response) override;
  grpc::Status CancelAppointment(
      grpc::ServerContext* context, const v1::CancelAppointmentRequest* request,
      v1::CancelAppointmentResponse* response) override;
  grpc::Status CreateWaitlistEntry(
      grpc::ServerContext* context,
      const v1::CreateWaitlistEntryRequest* request,
      v1::WaitlistEntry* response) override;
  grpc::Status ListWaitlistEntries(
      grpc::ServerContext* context,
      const v1::ListWaitlistEntriesRequest* request,
      v1::ListWaitlistEntriesResponse* response) override;
  grpc::Status DeleteWaitlistEntry(
      grpc::ServerContext* context,
      const v1::DeleteWaitlistEntryRequest* request,
      v1::DeleteWaitlistEntryResponse* response) override;

  static constexpr int kDefaultMaxSlots = 500;
  static constexpr int kMaxSlots = 2000;
  static constexpr int kMaxLocations = 20;

 private:
  // The rules a slot is checked against, loaded for one request.
  struct SlotContext;

  // Checks that `therapist` can take an appointment of `type` at
  // `location` starting at `start`: names well formed, type active,
  // location known, start on the grid, not in the past, the therapist's
  // credentials (when known) and hours, and for anonymous callers the
  // online limits. `prefix` is the field path prefix ("appointment.").
  absl::StatusOr<SlotContext> CheckSlot(const server::Caller& caller,
                                        const std::string& prefix,
                                        const std::string& therapist,
                                        const std::string& location,
                                        const std::string& type,
                                        absl::Time start) const;

  grpc::Status ApplyVerb(grpc::ServerContext* context, const char* method,
                         const v1::AppointmentVerbRequest* request, Verb verb,
                         v1::Appointment* response);

  SchedulingStore* store_;
  Handler handler_;
  SchedulingOptions options_;
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_APPOINTMENT_SERVICE_H_
