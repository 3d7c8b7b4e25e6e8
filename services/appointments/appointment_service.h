// clinic.appointments.v1.AppointmentService: availability, holds, bookings
// and their lifecycle, the waitlist. Validates, checks the slot against the
// rules (grid, hours, credentials, online limits), calls the store (which,
// with the database, rules out double booking), maps to protos.
#ifndef CLINIC_SERVICES_APPOINTMENTS_APPOINTMENT_SERVICE_H_
#define CLINIC_SERVICES_APPOINTMENTS_APPOINTMENT_SERVICE_H_

#include <string>

#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "services/appointments/booking_store.h"
#include "services/appointments/catalog_store.h"
#include "services/appointments/day_window.h"
#include "services/appointments/options.h"
#include "services/appointments/state_machine.h"
#include "services/common/server/rpc.h"

namespace clinic::appointments {

class AppointmentServiceImpl final
    : public v1::AppointmentService::CallbackService {
 public:
  // `catalog` (read only: types, locations, schedules), `bookings` and
  // `verifier` must outlive the service.
  AppointmentServiceImpl(CatalogStore* catalog, BookingStore* bookings,
                         const server::CallerVerifier* verifier,
                         SchedulingOptions options);

  grpc::ServerUnaryReactor* FindAvailableSlots(
      grpc::CallbackServerContext* context,
      const v1::FindAvailableSlotsRequest* request,
      v1::FindAvailableSlotsResponse* response) override;
  grpc::ServerUnaryReactor* HoldSlot(grpc::CallbackServerContext* context,
                                     const v1::HoldSlotRequest* request,
                                     v1::Hold* response) override;
  grpc::ServerUnaryReactor* BookAppointment(
      grpc::CallbackServerContext* context,
      const v1::BookAppointmentRequest* request,
      v1::Appointment* response) override;
  grpc::ServerUnaryReactor* GetAppointment(
      grpc::CallbackServerContext* context,
      const v1::GetAppointmentRequest* request,
      v1::Appointment* response) override;
  grpc::ServerUnaryReactor* ListAppointments(
      grpc::CallbackServerContext* context,
      const v1::ListAppointmentsRequest* request,
      v1::ListAppointmentsResponse* response) override;
  grpc::ServerUnaryReactor* RescheduleAppointment(
      grpc::CallbackServerContext* context,
      const v1::RescheduleAppointmentRequest* request,
      v1::Appointment* response) override;
  grpc::ServerUnaryReactor* ConfirmAppointment(
      grpc::CallbackServerContext* context,
      const v1::AppointmentVerbRequest* request,
      v1::Appointment* response) override;
  grpc::ServerUnaryReactor* CheckInAppointment(
      grpc::CallbackServerContext* context,
      const v1::AppointmentVerbRequest* request,
      v1::Appointment* response) override;
  grpc::ServerUnaryReactor* CompleteAppointment(
      grpc::CallbackServerContext* context,
      const v1::AppointmentVerbRequest* request,
      v1::Appointment* response) override;
  grpc::ServerUnaryReactor* MarkNoShow(
      grpc::CallbackServerContext* context,
      const v1::AppointmentVerbRequest* request,
      v1::Appointment* response) override;
  grpc::ServerUnaryReactor* UndoAppointmentStatus(
      grpc::CallbackServerContext* context,
      const v1::UndoAppointmentStatusRequest* request,
      v1::Appointment* response) override;
  grpc::ServerUnaryReactor* ListAppointmentEvents(
      grpc::CallbackServerContext* context,
      const v1::ListAppointmentEventsRequest* request,
      v1::ListAppointmentEventsResponse* response) override;
  grpc::ServerUnaryReactor* ListAppointmentAuditEvents(
      grpc::CallbackServerContext* context,
      const audit::v1::ListAuditEventsRequest* request,
      audit::v1::ListAuditEventsResponse* response) override;
  grpc::ServerUnaryReactor* CancelAppointment(
      grpc::CallbackServerContext* context,
      const v1::CancelAppointmentRequest* request,
      v1::CancelAppointmentResponse* response) override;
  grpc::ServerUnaryReactor* CreateWaitlistEntry(
      grpc::CallbackServerContext* context,
      const v1::CreateWaitlistEntryRequest* request,
      v1::WaitlistEntry* response) override;
  grpc::ServerUnaryReactor* ListWaitlistEntries(
      grpc::CallbackServerContext* context,
      const v1::ListWaitlistEntriesRequest* request,
      v1::ListWaitlistEntriesResponse* response) override;
  grpc::ServerUnaryReactor* DeleteWaitlistEntry(
      grpc::CallbackServerContext* context,
      const v1::DeleteWaitlistEntryRequest* request,
      v1::DeleteWaitlistEntryResponse* response) override;
  grpc::ServerUnaryReactor* ListWaitlistOffers(
      grpc::CallbackServerContext* context,
      const v1::ListWaitlistOffersRequest* request,
      v1::ListWaitlistOffersResponse* response) override;
  grpc::ServerUnaryReactor* ResolveWaitlistOffer(
      grpc::CallbackServerContext* context,
      const v1::ResolveWaitlistOfferRequest* request,
      v1::WaitlistOffer* response) override;
  grpc::ServerUnaryReactor* AcceptWaitlistOffer(
      grpc::CallbackServerContext* context,
      const v1::AcceptWaitlistOfferRequest* request,
      v1::Appointment* response) override;
  grpc::ServerUnaryReactor* IssueManageToken(
      grpc::CallbackServerContext* context,
      const v1::IssueManageTokenRequest* request,
      v1::IssueManageTokenResponse* response) override;
  grpc::ServerUnaryReactor* ResolveManageToken(
      grpc::CallbackServerContext* context,
      const v1::ResolveManageTokenRequest* request,
      v1::ResolveManageTokenResponse* response) override;

  // One pass of the waitlist offers (BookingStore::AdvanceOffers): lapsed
  // offers passed on, freed times offered. Run after every cancellation
  // and by a timer (main.cc); how many offers were made.
  absl::StatusOr<int> AdvanceWaitlistOffers();

 private:
  // The token of an offer's link, and its hash.
  std::string OfferToken(const std::string& offer_id) const;

  // Check-in, no-show and undo belong to the appointment's local day.
  absl::Status InItsDay(DayAction action, const v1::Appointment& a,
                        absl::Time now) const;
  // The audit event of a failed call about appointments or the waitlist.
  void RecordFailure(const server::Call& call, const std::string& resource,
                     const absl::Status& result);
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

  grpc::ServerUnaryReactor* ApplyVerb(grpc::CallbackServerContext* context,
                                      const char* method,
                                      const v1::AppointmentVerbRequest* request,
                                      Verb verb, v1::Appointment* response);

  CatalogStore* catalog_;
  BookingStore* bookings_;
  server::Rpcs rpcs_;
  SchedulingOptions options_;
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_APPOINTMENT_SERVICE_H_
