// Failure injection for tests of calls between services: a channel whose
// calls to chosen methods fail, either before the call reaches the server
// (nothing happened there) or after it answered (it happened, but the
// caller sees a failure: the lost answer of a crash or a network cut).
//
//   testing::Faults faults;
//   auto channel = faults.Channel("127.0.0.1:1234");
//   faults.Fail("/clinic.appointments.v1.AppointmentService/BookAppointment",
//               testing::Faults::kAfter, 1);
#ifndef CLINIC_SERVICES_COMMON_TESTING_FAULTS_H_
#define CLINIC_SERVICES_COMMON_TESTING_FAULTS_H_

#include <grpcpp/channel.h>

#include <map>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"

namespace clinic::testing {

class Faults {
 public:
  enum When {
    kBefore,  // the server never sees the call
    kAfter,   // the server handles it; its answer is lost
  };

  // A channel to `target` whose calls this object may fail. Must not
  // outlive this object.
  std::shared_ptr<grpc::Channel> Channel(const std::string& target);

  // The next `times` calls to `method` ("/pkg.Service/Method") fail with
  // UNAVAILABLE.
  void Fail(const std::string& method, When when, int times = 1);
  // How many calls to `method` were failed so far.
  int failed(const std::string& method) const;

  // For the channel's interceptors: whether this call fails, and when.
  bool Take(const std::string& method, When* when);

 private:
  struct Plan {
    When when = kBefore;
    int remaining = 0;
    int failed = 0;
  };
  mutable absl::Mutex mu_;
  std::map<std::string, Plan> plans_ ABSL_GUARDED_BY(mu_);
};

}  // namespace clinic::testing

#endif  // CLINIC_SERVICES_COMMON_TESTING_FAULTS_H_
