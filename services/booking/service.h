// clinic.booking.v1.BookingService: the public surface. It owns no data: it
// turns a form into a call to the service that owns the data, passing the
// caller (anonymous, with the request id and client address) on, and
// answers only what the person is entitled to see.
#ifndef CLINIC_SERVICES_BOOKING_SERVICE_H_
#define CLINIC_SERVICES_BOOKING_SERVICE_H_

#include <memory>

#include "absl/time/time.h"
#include "clinic/booking/v1/booking_service.grpc.pb.h"
#include "clinic/screenings/v1/screenings_service.grpc.pb.h"
#include "services/common/server/rpc.h"

namespace clinic::booking {

struct BookingServiceOptions {
  // Deadline of each call to another service.
  absl::Duration call_timeout = absl::Seconds(5);
};

class BookingServiceImpl final : public v1::BookingService::CallbackService {
 public:
  // `verifier` must outlive the service; `screenings` is a channel to
  // clinic.screenings.v1.ScreeningService.
  BookingServiceImpl(const server::CallerVerifier* verifier,
                     std::shared_ptr<grpc::ChannelInterface> screenings,
                     BookingServiceOptions options);

  grpc::ServerUnaryReactor* RequestContact(
      grpc::CallbackServerContext* context,
      const v1::RequestContactRequest* request,
      v1::RequestContactResponse* response) override;

  // What the person reads after a successful submission.
  static constexpr char kThanks[] =
      "Thank you. We have your request and will contact you within one "
      "business day.";

 private:
  const server::CallerVerifier* verifier_;
  std::unique_ptr<screenings::v1::ScreeningService::Stub> screenings_;
  BookingServiceOptions options_;
  server::Rpcs rpcs_;
};

}  // namespace clinic::booking

#endif  // CLINIC_SERVICES_BOOKING_SERVICE_H_
