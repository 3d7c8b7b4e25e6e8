// clinic.booking.v1.BookingService: the public surface. It owns no data: it
// turns a form into a call to the service that owns the data, passing the
// caller (anonymous, with the request id and client address) on, and
// answers only what the person is entitled to see.
#ifndef CLINIC_SERVICES_BOOKING_SERVICE_H_
#define CLINIC_SERVICES_BOOKING_SERVICE_H_

#include <memory>
#include <vector>

#include "absl/time/time.h"
#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "clinic/booking/v1/booking_service.grpc.pb.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "clinic/screenings/v1/screenings_service.grpc.pb.h"
#include "services/common/server/rpc.h"
#include "services/common/server/worker_pool.h"

namespace clinic::booking {

struct BookingServiceOptions {
  // Deadline of each call to another service.
  absl::Duration call_timeout = absl::Seconds(5);
};

class BookingServiceImpl final : public v1::BookingService::CallbackService {
 public:
  // Channels to the services it calls.
  struct Backends {
    std::shared_ptr<grpc::ChannelInterface> screenings;
    std::shared_ptr<grpc::ChannelInterface> appointments;
    std::shared_ptr<grpc::ChannelInterface> patients;
  };

  // `verifier` must outlive the service.
  BookingServiceImpl(const server::CallerVerifier* verifier, Backends backends,
                     BookingServiceOptions options);

  grpc::ServerUnaryReactor* RequestContact(
      grpc::CallbackServerContext* context,
      const v1::RequestContactRequest* request,
      v1::RequestContactResponse* response) override;
  grpc::ServerUnaryReactor* ListBookableTypes(
      grpc::CallbackServerContext* context,
      const v1::ListBookableTypesRequest* request,
      v1::ListBookableTypesResponse* response) override;
  grpc::ServerUnaryReactor* FindOpenings(
      grpc::CallbackServerContext* context,
      const v1::FindOpeningsRequest* request,
      v1::FindOpeningsResponse* response) override;
  grpc::ServerUnaryReactor* BookOnline(
      grpc::CallbackServerContext* context,
      const v1::BookOnlineRequest* request,
      v1::BookOnlineResponse* response) override;
  grpc::ServerUnaryReactor* GetManagedAppointment(
      grpc::CallbackServerContext* context,
      const v1::GetManagedAppointmentRequest* request,
      v1::ManagedAppointment* response) override;
  grpc::ServerUnaryReactor* RescheduleManagedAppointment(
      grpc::CallbackServerContext* context,
      const v1::RescheduleManagedAppointmentRequest* request,
      v1::ManagedAppointment* response) override;
  grpc::ServerUnaryReactor* CancelManagedAppointment(
      grpc::CallbackServerContext* context,
      const v1::CancelManagedAppointmentRequest* request,
      v1::ManagedAppointment* response) override;

  grpc::ServerUnaryReactor* GetOffer(grpc::CallbackServerContext* context,
                                     const v1::GetOfferRequest* request,
                                     v1::OfferView* response) override;
  grpc::ServerUnaryReactor* AcceptOffer(
      grpc::CallbackServerContext* context,
      const v1::AcceptOfferRequest* request,
      v1::BookOnlineResponse* response) override;

  // Upcoming online bookings a person may hold; more are refused.
  static constexpr int kMaxUpcomingOnlineBookings = 3;

  // What the person reads after a successful submission.
  static constexpr char kThanks[] =
      "Thank you. We have your request and will contact you within one "
      "business day.";

 private:
  // A context for a call to another service: the deadline, the caller.
  std::unique_ptr<grpc::ClientContext> Outbound(const server::Call& call) const;
  // The online-bookable types, or the status of the call that failed.
  absl::StatusOr<std::vector<appointments::v1::AppointmentType>> BookableTypes(
      const server::Call& call) const;

  // Every type (bookable online or not), or the failed call's status.
  absl::StatusOr<std::vector<appointments::v1::AppointmentType>> AllTypes(
      const server::Call& call) const;
  // The appointment a manage-link token opens (NOT_FOUND, one message, for
  // any token that opens nothing).
  absl::StatusOr<appointments::v1::Appointment> Resolve(
      const server::Call& call, const std::string& token) const;
  // What the link shows of `a`.
  absl::StatusOr<v1::ManagedAppointment> Managed(
      const server::Call& call, const appointments::v1::Appointment& a) const;

  // The names a summary uses: the type's and the location (its zone).
  absl::StatusOr<std::pair<std::string, appointments::v1::Location>> Names(
      const server::Call& call, const std::string& type,
      const std::string& location) const;

  const server::CallerVerifier* verifier_;
  std::unique_ptr<screenings::v1::ScreeningService::Stub> screenings_;
  std::unique_ptr<appointments::v1::AppointmentTypeService::Stub> types_;
  std::unique_ptr<appointments::v1::LocationService::Stub> locations_;
  std::unique_ptr<appointments::v1::AppointmentService::Stub> appointments_;
  std::unique_ptr<patients::v1::PatientService::Stub> patients_;
  BookingServiceOptions options_;
  // Its own workers: its calls wait on other services, which must never
  // wait for these same threads (in one process, as in the tests, a shared
  // pool full of waiting booking calls would starve the calls they wait on).
  server::WorkerPool pool_{16, 1000};
  server::Rpcs rpcs_;
};

}  // namespace clinic::booking

#endif  // CLINIC_SERVICES_BOOKING_SERVICE_H_
