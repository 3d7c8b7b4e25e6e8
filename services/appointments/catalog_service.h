// clinic.appointments.v1 LocationService, AppointmentTypeService and
// ScheduleService: the rules availability is computed from.
#ifndef CLINIC_SERVICES_APPOINTMENTS_CATALOG_SERVICE_H_
#define CLINIC_SERVICES_APPOINTMENTS_CATALOG_SERVICE_H_

#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "services/appointments/handler.h"
#include "services/appointments/store.h"

namespace clinic::appointments {

class LocationServiceImpl final : public v1::LocationService::Service {
 public:
  // `store` and `verifier` must outlive the service.
  LocationServiceImpl(SchedulingStore* store,
                      const server::CallerVerifier* verifier);

  grpc::Status GetLocation(grpc::ServerContext* context,
                           const v1::GetLocationRequest* request,
                           v1::Location* response) override;
  grpc::Status ListLocations(grpc::ServerContext* context,
                             const v1::ListLocationsRequest* request,
                             v1::ListLocationsResponse* response) override;
  grpc::Status CreateLocation(grpc::ServerContext* context,
                              const v1::CreateLocationRequest* request,
                              v1::Location* response) override;
  grpc::Status UpdateLocation(grpc::ServerContext* context,
                              const v1::UpdateLocationRequest* request,
                              v1::Location* response) override;

 private:
  SchedulingStore* store_;
  Handler handler_;
};

class AppointmentTypeServiceImpl final
    : public v1::AppointmentTypeService::Service {
 public:
  AppointmentTypeServiceImpl(SchedulingStore* store,
                             const server::CallerVerifier* verifier);

  grpc::Status GetAppointmentType(grpc::ServerContext* context,
                                  const v1::GetAppointmentTypeRequest* request,
                                  v1::AppointmentType* response) override;
  grpc::Status ListAppointmentTypes(
      grpc::ServerContext* context,
      const v1::ListAppointmentTypesRequest* request,
      v1::ListAppointmentTypesResponse* response) override;
  grpc::Status CreateAppointmentType(
      grpc::ServerContext* context,
      const v1::CreateAppointmentTypeRequest* request,
      v1::AppointmentType* response) override;
  // update_mask may also name "active" (false retires the type).
  grpc::Status UpdateAppointmentType(
      grpc::ServerContext* context,
      const v1::UpdateAppointmentTypeRequest* request,
      v1::AppointmentType* response) override;

 private:
  SchedulingStore* store_;
  Handler handler_;
};

class ScheduleServiceImpl final : public v1::ScheduleService::Service {
 public:
  ScheduleServiceImpl(SchedulingStore* store,
                      const server::CallerVerifier* verifier,
                      SchedulingOptions options);

  grpc::Status GetProviderSchedule(
      grpc::ServerContext* context,
      const v1::GetProviderScheduleRequest* request,
      v1::ProviderSchedule* response) override;
  grpc::Status UpdateProviderSchedule(
      grpc::ServerContext* context,
      const v1::UpdateProviderScheduleRequest* request,
      v1::UpdateProviderScheduleResponse* response) override;

 private:
  SchedulingStore* store_;
  Handler handler_;
  SchedulingOptions options_;
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_CATALOG_SERVICE_H_
