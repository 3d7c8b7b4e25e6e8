// clinic.appointments.v1 LocationService, AppointmentTypeService and
// ScheduleService: the rules availability is computed from.
#ifndef CLINIC_SERVICES_APPOINTMENTS_CATALOG_SERVICE_H_
#define CLINIC_SERVICES_APPOINTMENTS_CATALOG_SERVICE_H_

#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "services/appointments/booking_store.h"
#include "services/appointments/catalog_store.h"
#include "services/appointments/options.h"
#include "services/common/server/rpc.h"

namespace clinic::appointments {

class LocationServiceImpl final : public v1::LocationService::CallbackService {
 public:
  // `store` and `verifier` must outlive the service.
  LocationServiceImpl(CatalogStore* store,
                      const server::CallerVerifier* verifier);

  grpc::ServerUnaryReactor* GetLocation(grpc::CallbackServerContext* context,
                                        const v1::GetLocationRequest* request,
                                        v1::Location* response) override;
  grpc::ServerUnaryReactor* ListLocations(
      grpc::CallbackServerContext* context,
      const v1::ListLocationsRequest* request,
      v1::ListLocationsResponse* response) override;
  grpc::ServerUnaryReactor* CreateLocation(
      grpc::CallbackServerContext* context,
      const v1::CreateLocationRequest* request,
      v1::Location* response) override;
  grpc::ServerUnaryReactor* UpdateLocation(
      grpc::CallbackServerContext* context,
      const v1::UpdateLocationRequest* request,
      v1::Location* response) override;

 private:
  CatalogStore* store_;
  server::Rpcs rpcs_;
};

class AppointmentTypeServiceImpl final
    : public v1::AppointmentTypeService::CallbackService {
 public:
  // `store` and `verifier` must outlive the service.
  AppointmentTypeServiceImpl(CatalogStore* store,
                             const server::CallerVerifier* verifier);

  grpc::ServerUnaryReactor* GetAppointmentType(
      grpc::CallbackServerContext* context,
      const v1::GetAppointmentTypeRequest* request,
      v1::AppointmentType* response) override;
  grpc::ServerUnaryReactor* ListAppointmentTypes(
      grpc::CallbackServerContext* context,
      const v1::ListAppointmentTypesRequest* request,
      v1::ListAppointmentTypesResponse* response) override;
  grpc::ServerUnaryReactor* CreateAppointmentType(
      grpc::CallbackServerContext* context,
      const v1::CreateAppointmentTypeRequest* request,
      v1::AppointmentType* response) override;
  // update_mask may also name "active" (false retires the type).
  grpc::ServerUnaryReactor* UpdateAppointmentType(
      grpc::CallbackServerContext* context,
      const v1::UpdateAppointmentTypeRequest* request,
      v1::AppointmentType* response) override;

 private:
  CatalogStore* store_;
  server::Rpcs rpcs_;
};

class ScheduleServiceImpl final : public v1::ScheduleService::CallbackService {
 public:
  // `catalog`, `bookings` (read only: the therapist's future appointments
  // a new schedule would leave outside their hours) and `verifier` must
  // outlive the service.
  ScheduleServiceImpl(CatalogStore* catalog, BookingStore* bookings,
                      const server::CallerVerifier* verifier,
                      SchedulingOptions options);

  grpc::ServerUnaryReactor* GetProviderSchedule(
      grpc::CallbackServerContext* context,
      const v1::GetProviderScheduleRequest* request,
      v1::ProviderSchedule* response) override;
  grpc::ServerUnaryReactor* UpdateProviderSchedule(
      grpc::CallbackServerContext* context,
      const v1::UpdateProviderScheduleRequest* request,
      v1::UpdateProviderScheduleResponse* response) override;

 private:
  CatalogStore* catalog_;
  BookingStore* bookings_;
  server::Rpcs rpcs_;
  SchedulingOptions options_;
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_CATALOG_SERVICE_H_
