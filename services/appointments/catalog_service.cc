#include "services/appointments/catalog_service.h"

#include <google/protobuf/util/field_mask_util.h>

#include <map>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "services/appointments/page_token.h"
#include "services/appointments/rules.h"
#include "services/appointments/store.h"
#include "services/appointments/validation.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"

namespace clinic::appointments {
namespace {

using ::google::protobuf::util::FieldMaskUtil;

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 200;
// UpdateProviderSchedule looks at this many future appointments at most.
constexpr int kMaxConflictScan = 5000;

// Merges the masked fields of `patch` into `target`; INVALID_ARGUMENT for
// a path outside `allowed`. "*" means all of them.
template <typename M>
absl::Status ApplyMask(const google::protobuf::FieldMask& mask,
                       const std::set<std::string>& allowed, const M& patch,
                       M& target) {
  if (mask.paths_size() == 0) {
    return status::InvalidField(
        "update_mask", "is required (list the fields to change, or \"*\")");
  }
  google::protobuf::FieldMask checked;
  for (const std::string& path : mask.paths()) {
    if (path == "*") {
      for (const std::string& f : allowed) checked.add_paths(f);
      continue;
    }
    if (!allowed.count(path)) {
      return status::InvalidField(
          "update_mask",
          absl::StrCat("'", path, "' is not a field that can be updated"));
    }
    checked.add_paths(path);
  }
  FieldMaskUtil::MergeOptions merge;
  merge.set_replace_message_fields(true);
  merge.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, checked, merge, &target);
  return absl::OkStatus();
}

}  // namespace

// ---- LocationService.

LocationServiceImpl::LocationServiceImpl(CatalogStore* store,
                                         const server::CallerVerifier* verifier)
    : store_(store),
      rpcs_(verifier, v1::LocationService::service_full_name()) {}

grpc::ServerUnaryReactor* LocationServiceImpl::GetLocation(
    grpc::CallbackServerContext* context, const v1::GetLocationRequest* req,
    v1::Location* resp) {
  return rpcs_.Serve(
      context, "GetLocation", [=](const server::Call&) -> absl::Status {
        absl::StatusOr<std::string> id =
            ParseId("name", req->name(), "locations");
        if (!id.ok()) return id.status();
        absl::StatusOr<v1::Location> l = store_->GetLocation(*id);
        if (!l.ok()) return l.status();
        *resp = *std::move(l);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* LocationServiceImpl::ListLocations(
    grpc::CallbackServerContext* context, const v1::ListLocationsRequest* req,
    v1::ListLocationsResponse* resp) {
  return rpcs_.Serve(
      context, "ListLocations", [=](const server::Call&) -> absl::Status {
        absl::StatusOr<int> size =
            server::PageSize(req->page_size(), kDefaultPageSize, kMaxPageSize);
        if (!size.ok()) return size.status();
        const std::string fingerprint = FilterFingerprint({"locations"});
        Page page{*size, {}};
        if (!req->page_token().empty()) {
          absl::StatusOr<std::vector<std::string>> after =
              DecodePageToken(req->page_token(), fingerprint, 2);
          if (!after.ok()) return after.status();
          page.after = *std::move(after);
        }
        absl::StatusOr<PageOf<v1::Location>> result =
            store_->ListLocations(page);
        if (!result.ok()) return result.status();
        for (v1::Location& l : result->items) {
          *resp->add_locations() = std::move(l);
        }
        if (!result->next.empty()) {
          resp->set_next_page_token(EncodePageToken(result->next, fingerprint));
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* LocationServiceImpl::CreateLocation(
    grpc::CallbackServerContext* context, const v1::CreateLocationRequest* req,
    v1::Location* resp) {
  return rpcs_.Serve(
      context, "CreateLocation", [=](const server::Call&) -> absl::Status {
        if (absl::Status s = text::ValidateRequestId(req->request_id());
            !s.ok()) {
          return s;
        }
        if (!req->has_location()) {
          return status::InvalidField("location", "is required");
        }
        v1::Location l = req->location();
        l.clear_etag();
        if (absl::Status s = NormalizeAndValidateLocation("location", l);
            !s.ok()) {
          return s;
        }
        absl::StatusOr<v1::Location> created = store_->CreateLocation(
            l, RequestKey{"CreateLocation", req->request_id(),
                          db::DeterministicBytes(*req)});
        if (!created.ok()) return created.status();
        *resp = *std::move(created);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* LocationServiceImpl::UpdateLocation(
    grpc::CallbackServerContext* context, const v1::UpdateLocationRequest* req,
    v1::Location* resp) {
  return rpcs_.Serve(
      context, "UpdateLocation", [=](const server::Call&) -> absl::Status {
        absl::StatusOr<std::string> id =
            ParseId("location.name", req->location().name(), "locations");
        if (!id.ok()) return id.status();
        if (req->location().etag().empty()) {
          return status::InvalidField(
              "location.etag",
              "is required (the etag of the location as last read)");
        }
        absl::StatusOr<v1::Location> current = store_->GetLocation(*id);
        if (!current.ok()) return current.status();
        v1::Location updated = *current;
        static const std::set<std::string> kFields = {
            "display_name", "address_lines", "phone",
            "time_zone",    "opening_hours", "closures",
            "slot_minutes", "language",      "reminder_lead"};
        if (absl::Status s = ApplyMask(req->update_mask(), kFields,
                                       req->location(), updated);
            !s.ok()) {
          return s;
        }
        if (absl::Status s = NormalizeAndValidateLocation("location", updated);
            !s.ok()) {
          return s;
        }
        updated.set_etag(req->location().etag());
        absl::StatusOr<v1::Location> saved =
            store_->UpdateLocation(*id, updated);
        if (!saved.ok()) return saved.status();
        *resp = *std::move(saved);
        return absl::OkStatus();
      });
}

// ---- AppointmentTypeService.

AppointmentTypeServiceImpl::AppointmentTypeServiceImpl(
    CatalogStore* store, const server::CallerVerifier* verifier)
    : store_(store),
      rpcs_(verifier, v1::AppointmentTypeService::service_full_name()) {}

grpc::ServerUnaryReactor* AppointmentTypeServiceImpl::GetAppointmentType(
    grpc::CallbackServerContext* context,
    const v1::GetAppointmentTypeRequest* req, v1::AppointmentType* resp) {
  return rpcs_.Serve(
      context, "GetAppointmentType", [=](const server::Call&) -> absl::Status {
        absl::StatusOr<std::string> id =
            ParseId("name", req->name(), "appointmentTypes");
        if (!id.ok()) return id.status();
        absl::StatusOr<v1::AppointmentType> t = store_->GetType(*id);
        if (!t.ok()) return t.status();
        *resp = *std::move(t);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AppointmentTypeServiceImpl::ListAppointmentTypes(
    grpc::CallbackServerContext* context,
    const v1::ListAppointmentTypesRequest* req,
    v1::ListAppointmentTypesResponse* resp) {
  return rpcs_.Serve(
      context, "ListAppointmentTypes",
      [=](const server::Call&) -> absl::Status {
        absl::StatusOr<int> size =
            server::PageSize(req->page_size(), kDefaultPageSize, kMaxPageSize);
        if (!size.ok()) return size.status();
        const std::string fingerprint = FilterFingerprint(
            {"types", req->show_inactive() ? "all" : "active"});
        Page page{*size, {}};
        if (!req->page_token().empty()) {
          absl::StatusOr<std::vector<std::string>> after =
              DecodePageToken(req->page_token(), fingerprint, 2);
          if (!after.ok()) return after.status();
          page.after = *std::move(after);
        }
        absl::StatusOr<PageOf<v1::AppointmentType>> result =
            store_->ListTypes(page, req->show_inactive());
        if (!result.ok()) return result.status();
        for (v1::AppointmentType& t : result->items) {
          *resp->add_appointment_types() = std::move(t);
        }
        if (!result->next.empty()) {
          resp->set_next_page_token(EncodePageToken(result->next, fingerprint));
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AppointmentTypeServiceImpl::CreateAppointmentType(
    grpc::CallbackServerContext* context,
    const v1::CreateAppointmentTypeRequest* req, v1::AppointmentType* resp) {
  return rpcs_.Serve(
      context, "CreateAppointmentType",
      [=](const server::Call&) -> absl::Status {
        if (absl::Status s = text::ValidateRequestId(req->request_id());
            !s.ok()) {
          return s;
        }
        if (!req->has_appointment_type()) {
          return status::InvalidField("appointment_type", "is required");
        }
        v1::AppointmentType t = req->appointment_type();
        t.clear_etag();
        t.set_active(true);
        if (absl::Status s = NormalizeAndValidateType("appointment_type", t);
            !s.ok()) {
          return s;
        }
        absl::StatusOr<v1::AppointmentType> created = store_->CreateType(
            t, RequestKey{"CreateAppointmentType", req->request_id(),
                          db::DeterministicBytes(*req)});
        if (!created.ok()) return created.status();
        *resp = *std::move(created);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* AppointmentTypeServiceImpl::UpdateAppointmentType(
    grpc::CallbackServerContext* context,
    const v1::UpdateAppointmentTypeRequest* req, v1::AppointmentType* resp) {
  return rpcs_.Serve(
      context, "UpdateAppointmentType",
      [=](const server::Call&) -> absl::Status {
        absl::StatusOr<std::string> id =
            ParseId("appointment_type.name", req->appointment_type().name(),
                    "appointmentTypes");
        if (!id.ok()) return id.status();
        if (req->appointment_type().etag().empty()) {
          return status::InvalidField(
              "appointment_type.etag",
              "is required (the etag of the type as last read)");
        }
        absl::StatusOr<v1::AppointmentType> current = store_->GetType(*id);
        if (!current.ok()) return current.status();
        v1::AppointmentType updated = *current;
        static const std::set<std::string> kFields = {"display_name",
                                                      "duration",
                                                      "buffer_before",
                                                      "buffer_after",
                                                      "allowed_credentials",
                                                      "bookable_online",
                                                      "min_notice",
                                                      "max_days_ahead",
                                                      "color",
                                                      "active",
                                                      "reminder_lead"};
        if (absl::Status s = ApplyMask(req->update_mask(), kFields,
                                       req->appointment_type(), updated);
            !s.ok()) {
          return s;
        }
        if (absl::Status s =
                NormalizeAndValidateType("appointment_type", updated);
            !s.ok()) {
          return s;
        }
        updated.set_etag(req->appointment_type().etag());
        absl::StatusOr<v1::AppointmentType> saved =
            store_->UpdateType(*id, updated);
        if (!saved.ok()) return saved.status();
        *resp = *std::move(saved);
        return absl::OkStatus();
      });
}

// ---- ScheduleService.

ScheduleServiceImpl::ScheduleServiceImpl(CatalogStore* catalog,
                                         BookingStore* bookings,
                                         const server::CallerVerifier* verifier,
                                         SchedulingOptions options)
    : catalog_(catalog),
      bookings_(bookings),
      rpcs_(verifier, v1::ScheduleService::service_full_name()),
      options_(std::move(options)) {}

grpc::ServerUnaryReactor* ScheduleServiceImpl::GetProviderSchedule(
    grpc::CallbackServerContext* context,
    const v1::GetProviderScheduleRequest* req, v1::ProviderSchedule* resp) {
  return rpcs_.Serve(
      context, "GetProviderSchedule", [=](const server::Call&) -> absl::Status {
        absl::StatusOr<std::string> therapist =
            ParseScheduleName("name", req->name());
        if (!therapist.ok()) return therapist.status();
        absl::StatusOr<ScheduleRecord> s = catalog_->GetSchedule(*therapist);
        if (!s.ok()) return s.status();
        *resp = std::move(s->schedule);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* ScheduleServiceImpl::UpdateProviderSchedule(
    grpc::CallbackServerContext* context,
    const v1::UpdateProviderScheduleRequest* req,
    v1::UpdateProviderScheduleResponse* resp) {
  return rpcs_.Serve(
      context, "UpdateProviderSchedule",
      [=](const server::Call& caller) -> absl::Status {
        if (!req->has_schedule()) {
          return status::InvalidField("schedule", "is required");
        }
        absl::StatusOr<std::string> therapist =
            ParseScheduleName("schedule.name", req->schedule().name());
        if (!therapist.ok()) return therapist.status();
        v1::ProviderSchedule schedule = req->schedule();
        schedule.set_name(absl::StrCat(*therapist, "/schedule"));
        if (absl::Status s = ValidateSchedule("schedule", schedule); !s.ok()) {
          return s;
        }
        // Every location it names must exist; normalize names to lower case.
        std::map<std::string, v1::Location> locations;
        std::vector<std::string> location_ids;
        auto check_location = [&](std::string* name) -> absl::Status {
          if (name->empty()) return absl::OkStatus();
          absl::StatusOr<std::string> id =
              ParseId("schedule.location", *name, "locations");
          if (!id.ok()) return id.status();
          *name = absl::StrCat("locations/", *id);
          if (locations.count(*name)) return absl::OkStatus();
          absl::StatusOr<v1::Location> l = catalog_->GetLocation(*id);
          if (!l.ok()) {
            return absl::FailedPreconditionError(
                absl::StrCat("schedule: ", *name, " does not exist"));
          }
          locations[*name] = *std::move(l);
          return absl::OkStatus();
        };
        std::set<std::string> working_at;
        for (v1::WorkingHours& h : *schedule.mutable_weekly_hours()) {
          if (absl::Status s = check_location(h.mutable_location()); !s.ok()) {
            return s;
          }
          working_at.insert(h.location());
        }
        for (v1::WorkingHours& h : *schedule.mutable_breaks()) {
          if (absl::Status s = check_location(h.mutable_location()); !s.ok()) {
            return s;
          }
        }
        for (v1::ScheduleException& e : *schedule.mutable_exceptions()) {
          if (absl::Status s = check_location(e.mutable_location()); !s.ok()) {
            return s;
          }
          if (e.kind() == v1::ScheduleException::KIND_EXTRA_HOURS) {
            working_at.insert(e.location());
          }
        }
        for (const std::string& name : working_at) {
          location_ids.push_back(name.substr(sizeof("locations/") - 1));
        }

        // Active future appointments the new schedule no longer covers.
        const absl::Time now = options_.now();
        AppointmentQuery q;
        q.therapist = *therapist;
        q.start_from = now;
        q.only_active = true;
        q.page.size = 500;
        std::map<std::string, v1::AppointmentType> types;
        int scanned = 0;
        while (scanned < kMaxConflictScan) {
          absl::StatusOr<PageOf<v1::Appointment>> page =
              bookings_->ListAppointments(q);
          if (!page.ok()) return page.status();
          for (v1::Appointment& a : page->items) {
            ++scanned;
            if (!locations.count(a.location())) {
              absl::StatusOr<v1::Location> l = catalog_->GetLocation(
                  a.location().substr(sizeof("locations/") - 1));
              if (!l.ok()) return l.status();
              locations[a.location()] = *std::move(l);
            }
            if (!types.count(a.appointment_type())) {
              absl::StatusOr<v1::AppointmentType> t = catalog_->GetType(
                  a.appointment_type().substr(sizeof("appointmentTypes/") - 1));
              if (!t.ok()) return t.status();
              types[a.appointment_type()] = *std::move(t);
            }
            const v1::Location& l = locations[a.location()];
            absl::StatusOr<absl::TimeZone> zone =
                LoadZone("location.time_zone", l.time_zone());
            if (!zone.ok()) return zone.status();
            slots::SlotRules rules = BuildRules(
                l, a.location(), *zone, types[a.appointment_type()], schedule);
            if (!slots::IsOpenStart(rules, FromProto(a.start_time()))) {
              *resp->add_conflicting_appointments() = std::move(a);
            }
          }
          if (page->next.empty()) break;
          q.page.after = page->next;
        }

        // The therapist must be an active therapist; their credentials
        // decide which appointment types they may deliver.
        std::optional<std::vector<std::string>> credentials;
        if (options_.staff != nullptr) {
          absl::StatusOr<std::vector<std::string>> found =
              options_.staff->TherapistCredentials(caller, *therapist);
          if (!found.ok()) {
            if (found.status().code() == absl::StatusCode::kNotFound ||
                found.status().code() ==
                    absl::StatusCode::kFailedPrecondition) {
              return absl::FailedPreconditionError(
                  absl::StrCat("schedule.name: ", found.status().message()));
            }
            return found.status();
          }
          credentials = *std::move(found);
        }

        if (req->validate_only()) {
          *resp->mutable_schedule() = std::move(schedule);
          return absl::OkStatus();
        }
        absl::StatusOr<v1::ProviderSchedule> saved =
            catalog_->SaveSchedule(*therapist, schedule, location_ids);
        if (!saved.ok()) return saved.status();
        if (credentials.has_value()) {
          if (absl::Status s =
                  catalog_->SetCredentials(*therapist, credentials);
              !s.ok()) {
            return s;
          }
        }
        *resp->mutable_schedule() = *std::move(saved);
        return absl::OkStatus();
      });
}

}  // namespace clinic::appointments
