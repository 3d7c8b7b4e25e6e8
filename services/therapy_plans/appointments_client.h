// What the plans service needs from the appointments service, asked as the
// caller being served (its access rules and audit apply): a patient's or a
// therapist's visits, open starts, and booking a visit.
#ifndef CLINIC_SERVICES_THERAPY_PLANS_APPOINTMENTS_CLIENT_H_
#define CLINIC_SERVICES_THERAPY_PLANS_APPOINTMENTS_CLIENT_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/server/caller.h"
#include "services/therapy_plans/series.h"
#include "services/therapy_plans/visits.h"

namespace grpc {
class Channel;
}  // namespace grpc

namespace clinic::therapy_plans {

struct VisitQuery {
  std::string patient;    // "patients/{id}" or empty
  std::string therapist;  // "staff/{member}" or empty
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
};

struct NewVisit {
  std::string patient, therapist, location, appointment_type;
  absl::Time start;
  std::string request_id;
  std::string notes;
};

class AppointmentsClient {
 public:
  virtual ~AppointmentsClient() = default;
  // Every appointment matching (cancelled included), all pages, by patient.
  virtual absl::StatusOr<std::map<std::string, std::vector<Visit>>> Visits(
      const server::Caller& caller, const VisitQuery& query) = 0;
  // Open starts of `therapist` at `location` for `type` over local days
  // [first, last], and the location's zone.
  virtual absl::StatusOr<std::vector<OpenStart>> OpenStarts(
      const server::Caller& caller, const std::string& type,
      const std::string& location, const std::string& therapist,
      absl::CivilDay first, absl::CivilDay last, std::string* time_zone) = 0;
  // Books; "appointments/{id}". Idempotent by request_id.
  virtual absl::StatusOr<std::string> Book(const server::Caller& caller,
                                           const NewVisit& visit) = 0;
};

class GrpcAppointmentsClient : public AppointmentsClient {
 public:
  // `verifier` must outlive this.
  GrpcAppointmentsClient(std::shared_ptr<grpc::Channel> channel,
                         const server::CallerVerifier* verifier,
                         absl::Duration timeout = absl::Seconds(5));
  ~GrpcAppointmentsClient() override;

  absl::StatusOr<std::map<std::string, std::vector<Visit>>> Visits(
      const server::Caller& caller, const VisitQuery& query) override;
  absl::StatusOr<std::vector<OpenStart>> OpenStarts(
      const server::Caller& caller, const std::string& type,
      const std::string& location, const std::string& therapist,
      absl::CivilDay first, absl::CivilDay last,
      std::string* time_zone) override;
  absl::StatusOr<std::string> Book(const server::Caller& caller,
                                   const NewVisit& visit) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace clinic::therapy_plans

#endif  // CLINIC_SERVICES_THERAPY_PLANS_APPOINTMENTS_CLIENT_H_
