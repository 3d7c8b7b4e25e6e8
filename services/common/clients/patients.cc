#include "services/common/clients/patients.h"

#include <grpcpp/grpcpp.h>

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "clinic/patients/v1/patients_service.grpc.pb.h"
#include "services/common/server/client.h"
#include "services/common/status/errors.h"
#include "services/common/status/status.h"

namespace clinic::clients {

struct GrpcPatientDirectory::Impl {
  std::unique_ptr<patients::v1::PatientService::Stub> stub;
  const server::CallerVerifier* verifier;
  PatientDirectoryOptions options;

  absl::Mutex mu;
  struct Remembered {
    patients::v1::Patient patient;
    absl::Time until;
  };
  absl::flat_hash_map<std::string, Remembered> remembered ABSL_GUARDED_BY(mu);
  // Names Exists found, until when.
  absl::flat_hash_map<std::string, absl::Time> known ABSL_GUARDED_BY(mu);
};

GrpcPatientDirectory::GrpcPatientDirectory(
    std::shared_ptr<grpc::Channel> channel,
    const server::CallerVerifier* verifier, PatientDirectoryOptions options)
    : impl_(new Impl{patients::v1::PatientService::NewStub(std::move(channel)),
                     verifier, options}) {}

GrpcPatientDirectory::~GrpcPatientDirectory() = default;

absl::StatusOr<patients::v1::Patient> GrpcPatientDirectory::Get(
    const server::Caller& caller, const std::string& name) {
  const bool remember = impl_->options.remember_for > absl::ZeroDuration();
  if (remember) {
    absl::MutexLock lock(&impl_->mu);
    auto it = impl_->remembered.find(name);
    if (it != impl_->remembered.end() && it->second.until > absl::Now()) {
      return it->second.patient;
    }
  }
  auto context = server::NewCallContext(impl_->options.timeout);
  impl_->verifier->Forward(caller, *context);
  patients::v1::GetPatientRequest req;
  req.set_name(name);
  patients::v1::Patient patient;
  grpc::Status s = impl_->stub->GetPatient(context.get(), req, &patient);
  if (!s.ok()) {
    absl::Status status = status::FromGrpcStatus(s);
    if (status.code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError("there is no such patient");
    }
    return absl::Status(status.code(),
                        absl::StrCat("patients service: ", status.message()));
  }
  if (remember) {
    absl::MutexLock lock(&impl_->mu);
    if (impl_->remembered.size() >= impl_->options.max_remembered) {
      impl_->remembered.clear();
    }
    impl_->remembered[name] = {patient,
                               absl::Now() + impl_->options.remember_for};
  }
  return patient;
}

absl::Status GrpcPatientDirectory::Exists(const server::Caller& caller,
                                          const std::string& name) {
  const bool remember = impl_->options.remember_for > absl::ZeroDuration();
  if (remember) {
    absl::MutexLock lock(&impl_->mu);
    const absl::Time now = absl::Now();
    auto it = impl_->remembered.find(name);
    if (it != impl_->remembered.end() && it->second.until > now) {
      return absl::OkStatus();
    }
    auto k = impl_->known.find(name);
    if (k != impl_->known.end() && k->second > now) return absl::OkStatus();
  }
  auto context = server::NewCallContext(impl_->options.timeout);
  impl_->verifier->Forward(caller, *context);
  patients::v1::ExistingPatientsRequest req;
  req.add_names(name);
  patients::v1::ExistingPatientsResponse resp;
  grpc::Status s = impl_->stub->ExistingPatients(context.get(), req, &resp);
  if (!s.ok()) {
    absl::Status status = status::FromGrpcStatus(s);
    if (status.code() == absl::StatusCode::kInvalidArgument) {
      return absl::NotFoundError("there is no such patient");
    }
    return absl::Status(status.code(),
                        absl::StrCat("patients service: ", status.message()));
  }
  if (resp.names_size() == 0) {
    return absl::NotFoundError("there is no such patient");
  }
  if (remember) {
    absl::MutexLock lock(&impl_->mu);
    if (impl_->known.size() >= impl_->options.max_remembered) {
      impl_->known.clear();
    }
    impl_->known[name] = absl::Now() + impl_->options.remember_for;
  }
  return absl::OkStatus();
}

absl::Status PatientExists(PatientDirectory& directory,
                           const server::Caller& caller,
                           const std::string& field,
                           const std::string& patient) {
  absl::Status s = directory.Exists(caller, patient);
  if (s.code() == absl::StatusCode::kNotFound) {
    return status::InvalidField(field, "there is no such patient");
  }
  return s;
}

absl::StatusOr<patients::v1::Patient> CheckPatient(PatientDirectory& directory,
                                                   const server::Caller& caller,
                                                   const std::string& field,
                                                   const std::string& patient) {
  absl::StatusOr<patients::v1::Patient> found = directory.Get(caller, patient);
  if (found.status().code() == absl::StatusCode::kNotFound) {
    return status::InvalidField(field, "there is no such patient");
  }
  return found;
}

}  // namespace clinic::clients
