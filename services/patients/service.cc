#include "services/patients/service.h"

#include <google/protobuf/util/field_mask_util.h>

#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/db/request_key.h"
#include "services/common/server/log.h"
#include "services/common/status/errors.h"
#include "services/common/text/phone.h"
#include "services/common/text/text.h"
#include "services/patients/page_token.h"
#include "services/patients/validation.h"

namespace clinic::patients {
namespace {

using ::google::protobuf::util::FieldMaskUtil;

// Fields UpdatePatient may change; sub-fields of the two messages too.
const std::set<std::string>& UpdatableFields() {
  static const auto* const kFields =
      new std::set<std::string>{"given_name",
                                "family_name",
                                "preferred_name",
                                "birth_date",
                                "sex_at_birth",
                                "phone",
                                "email",
                                "address",
                                "preferred_contact_method",
                                "emergency_contact",
                                "notes",
                                "email_opt_out",
                                "reminders_opt_out"};
  return *kFields;
}

absl::Status CheckMaskPath(const std::string& path) {
  if (UpdatableFields().count(path)) return absl::OkStatus();
  const size_t dot = path.find('.');
  if (dot != std::string::npos) {
    const std::string head = path.substr(0, dot);
    const std::string tail = path.substr(dot + 1);
    const google::protobuf::Descriptor* d =
        head == "address"             ? v1::PostalAddress::descriptor()
        : head == "emergency_contact" ? v1::EmergencyContact::descriptor()
                                      : nullptr;
    if (d != nullptr && d->FindFieldByName(tail) != nullptr) {
      return absl::OkStatus();
    }
  }
  return status::InvalidField(
      "update_mask",
      absl::StrCat("'", path, "' is not a field that can be updated"));
}

}  // namespace

PatientServiceImpl::PatientServiceImpl(PatientStore* store,
                                       const server::CallerVerifier* verifier,
                                       PatientServiceOptions options)
    : store_(store),
      options_(std::move(options)),
      rpcs_(verifier, v1::PatientService::service_full_name(),
            server::RpcOptions{nullptr, [this](const server::Call& call,
                                               const std::string& resource,
                                               const absl::Status& result) {
                                 RecordFailure(call, resource, result);
                               }}) {}

void PatientServiceImpl::RecordFailure(const server::Call& call,
                                       const std::string& resource,
                                       const absl::Status& result) {
  if (absl::EndsWith(call.method, "/ListPatientAuditEvents")) return;
  absl::Status recorded = store_->RecordFailure(
      audit::ContextOf(call), resource.empty() ? "patients" : resource,
      absl::StatusCodeToString(result.code()));
  if (!recorded.ok()) {
    server::LogError("cannot record an audit event: ", recorded.ToString());
  }
}

grpc::ServerUnaryReactor* PatientServiceImpl::GetPatient(
    grpc::CallbackServerContext* context, const v1::GetPatientRequest* req,
    v1::Patient* resp) {
  return rpcs_.Serve(
      context, "GetPatient",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        absl::StatusOr<std::string> id = ParsePatientName("name", req->name());
        if (!id.ok()) return id.status();
        absl::StatusOr<v1::Patient> p = store_->Get(*id, &audit);
        if (!p.ok()) return p.status();
        *resp = *std::move(p);
        return absl::OkStatus();
      },
      req->name());
}

grpc::ServerUnaryReactor* PatientServiceImpl::ListPatients(
    grpc::CallbackServerContext* context, const v1::ListPatientsRequest* req,
    v1::ListPatientsResponse* resp) {
  return rpcs_.Serve(
      context, "ListPatients",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        if (req->page_size() < 0) {
          return status::InvalidField("page_size", "must not be negative");
        }
        ListQuery q;
        q.page_size = req->page_size() == 0
                          ? kDefaultPageSize
                          : std::min(req->page_size(), kMaxPageSize);
        q.name_prefix = text::CollapseSpaces(req->name_prefix());
        if (text::CodePoints(q.name_prefix) > kMaxSearchLength) {
          return status::InvalidField(
              "name_prefix",
              absl::StrCat("longer than ", kMaxSearchLength, " characters"));
        }
        // A NUL would cut the prefix short in libpq ("a\0b" searching
        // "a"); control characters are never part of a name.
        for (unsigned char c : q.name_prefix) {
          if (c < 0x20 || c == 0x7f) {
            return status::InvalidField("name_prefix",
                                        "must not contain control characters");
          }
        }
        if (!absl::StripAsciiWhitespace(req->phone()).empty()) {
          absl::StatusOr<std::string> phone =
              text::NormalizePhone(req->phone(), options_.default_region);
          if (!phone.ok()) {
            return status::InvalidField("phone", phone.status().message());
          }
          q.phone = *phone;
        }
        q.email = std::string(absl::StripAsciiWhitespace(req->email()));
        if (q.email.size() > 254) {
          return status::InvalidField("email", "longer than 254 characters");
        }
        if (req->has_birth_date()) {
          ValidationContext validation{options_.now(), options_.default_region};
          if (absl::Status s = ValidateBirthDate(validation, "birth_date",
                                                 req->birth_date());
              !s.ok()) {
            return s;
          }
          q.birth_date = FormatDate(req->birth_date());
        }
        if (!req->query().empty()) {
          if (!q.name_prefix.empty()) {
            return status::InvalidField(
                "query", "search by query or by name_prefix, not both");
          }
          ValidationContext validation{options_.now(), options_.default_region};
          absl::StatusOr<SearchQuery> parsed =
              ParseSearchQuery(validation, "query", req->query());
          if (!parsed.ok()) return parsed.status();
          q.name_prefix = parsed->name_prefix;
          q.phone_suffix = parsed->phone_suffix;
          if (!parsed->birth_date.empty()) {
            if (!q.birth_date.empty() && q.birth_date != parsed->birth_date) {
              return status::InvalidField(
                  "query", "names another date of birth than birth_date");
            }
            q.birth_date = parsed->birth_date;
          }
        }
        q.show_archived = req->show_archived();
        const std::string fingerprint = FilterFingerprint(q);
        if (!req->page_token().empty()) {
          absl::StatusOr<ListCursor> cursor =
              DecodePageToken(req->page_token(), fingerprint);
          if (!cursor.ok()) return cursor.status();
          q.after = *std::move(cursor);
        }
        absl::StatusOr<ListResult> result = store_->List(q, &audit);
        if (!result.ok()) return result.status();
        for (v1::Patient& p : result->patients) {
          *resp->add_patients() = std::move(p);
        }
        if (result->next) {
          resp->set_next_page_token(
              EncodePageToken(*result->next, fingerprint));
        }
        return absl::OkStatus();
      },
      "patients");
}

grpc::ServerUnaryReactor* PatientServiceImpl::ExistingPatients(
    grpc::CallbackServerContext* context,
    const v1::ExistingPatientsRequest* req,
    v1::ExistingPatientsResponse* resp) {
  return rpcs_.Serve(
      context, "ExistingPatients", [=](const server::Call&) -> absl::Status {
        if (req->names_size() > 500) {
          return status::InvalidField("names", "at most 500 names");
        }
        status::Violations v;
        std::vector<std::string> ids;
        for (int i = 0; i < req->names_size(); ++i) {
          absl::StatusOr<std::string> id =
              ParsePatientName(absl::StrCat("names[", i, "]"), req->names(i));
          if (v.Check(id.status())) ids.push_back(*id);
        }
        if (!v.empty()) return v.ToStatus();
        absl::StatusOr<std::vector<std::string>> found = store_->Existing(ids);
        if (!found.ok()) return found.status();
        for (int i = 0; i < req->names_size(); ++i) {
          if (std::find(found->begin(), found->end(), ids[i]) != found->end()) {
            resp->add_names(req->names(i));
          }
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* PatientServiceImpl::OptOutOfReminders(
    grpc::CallbackServerContext* context,
    const v1::OptOutOfRemindersRequest* req, v1::Patient* resp) {
  return rpcs_.Serve(
      context, "OptOutOfReminders",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        absl::StatusOr<std::string> id = ParsePatientName("name", req->name());
        if (!id.ok()) return id.status();
        absl::StatusOr<v1::Patient> p = store_->OptOutOfReminders(*id, &audit);
        if (!p.ok()) return p.status();
        *resp = *std::move(p);
        return absl::OkStatus();
      },
      req->name());
}

grpc::ServerUnaryReactor* PatientServiceImpl::FindSimilarPatients(
    grpc::CallbackServerContext* context,
    const v1::FindSimilarPatientsRequest* req,
    v1::FindSimilarPatientsResponse* resp) {
  return rpcs_.Serve(
      context, "FindSimilarPatients",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        const ValidationContext validation{options_.now(),
                                           options_.default_region};
        status::Violations v;
        v1::Patient p;
        p.set_given_name(text::CollapseSpaces(req->patient().given_name()));
        p.set_family_name(text::CollapseSpaces(req->patient().family_name()));
        if (text::CodePoints(p.given_name()) > kMaxNameLength ||
            text::CodePoints(p.family_name()) > kMaxNameLength) {
          v.Add("patient", absl::StrCat("names are at most ", kMaxNameLength,
                                        " characters"));
        }
        v.Check(ValidateBirthDate(validation, "patient.birth_date",
                                  req->patient().birth_date()));
        *p.mutable_birth_date() = req->patient().birth_date();
        // What cannot be read is compared as nothing: the form reports it
        // when the patient is saved.
        if (absl::StatusOr<std::string> phone = text::NormalizePhone(
                req->patient().phone(), options_.default_region);
            phone.ok()) {
          p.set_phone(*phone);
        }
        p.set_email(std::string(
            absl::StripAsciiWhitespace(req->patient().email().substr(0, 254))));
        std::string exclude;
        if (!req->exclude().empty()) {
          absl::StatusOr<std::string> id =
              ParsePatientName("exclude", req->exclude());
          if (v.Check(id.status())) exclude = *id;
        }
        if (!v.empty()) return v.ToStatus();
        absl::StatusOr<std::vector<SimilarPatient>> found =
            store_->FindSimilar(p, exclude, &audit);
        if (!found.ok()) return found.status();
        for (SimilarPatient& s : *found) {
          v1::SimilarPatient* out = resp->add_matches();
          out->add_reasons("same date of birth");
          if (s.same_phone) out->add_reasons("same phone");
          if (s.same_email) out->add_reasons("same email");
          if (s.same_name) {
            out->add_reasons("same name");
          } else if (s.similar_name) {
            out->add_reasons("similar name");
          }
          *out->mutable_patient() = std::move(s.patient);
        }
        return absl::OkStatus();
      },
      "patients");
}

grpc::ServerUnaryReactor* PatientServiceImpl::CreatePatient(
    grpc::CallbackServerContext* context, const v1::CreatePatientRequest* req,
    v1::Patient* resp) {
  return rpcs_.Serve(
      context, "CreatePatient",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        if (absl::Status s = text::ValidateRequestId(req->request_id());
            !s.ok()) {
          return s;
        }
        if (!req->has_patient()) {
          return status::InvalidField("patient", "is required");
        }
        v1::Patient patient = req->patient();
        ValidationContext validation{options_.now(), options_.default_region};
        if (absl::Status s =
                NormalizeAndValidatePatient(validation, "patient", patient);
            !s.ok()) {
          return s;
        }
        absl::StatusOr<v1::Patient> created =
            store_->Create(patient,
                           RequestKey{"CreatePatient", req->request_id(),
                                      db::DeterministicBytes(*req)},
                           &audit);
        if (!created.ok()) return created.status();
        *resp = *std::move(created);
        return absl::OkStatus();
      },
      "patients");
}

grpc::ServerUnaryReactor* PatientServiceImpl::UpdatePatient(
    grpc::CallbackServerContext* context, const v1::UpdatePatientRequest* req,
    v1::Patient* resp) {
  return rpcs_.Serve(
      context, "UpdatePatient",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        absl::StatusOr<std::string> id =
            ParsePatientName("patient.name", req->patient().name());
        if (!id.ok()) return id.status();
        if (req->patient().etag().empty()) {
          return status::InvalidField(
              "patient.etag",
              "is required (the etag of the patient as last read)");
        }
        if (req->update_mask().paths_size() == 0) {
          return status::InvalidField(
              "update_mask",
              "is required (list the fields to change, or \"*\")");
        }
        google::protobuf::FieldMask mask;
        for (const std::string& path : req->update_mask().paths()) {
          if (path == "*") {
            for (const std::string& f : UpdatableFields()) mask.add_paths(f);
            continue;
          }
          if (absl::Status s = CheckMaskPath(path); !s.ok()) return s;
          mask.add_paths(path);
        }
        absl::StatusOr<v1::Patient> current =
            store_->Get(*id, /*audit=*/nullptr);
        if (!current.ok()) return current.status();
        v1::Patient updated = *current;
        FieldMaskUtil::MergeOptions merge;
        merge.set_replace_message_fields(true);
        merge.set_replace_repeated_fields(true);
        FieldMaskUtil::MergeMessageTo(req->patient(), mask, merge, &updated);
        ValidationContext validation{options_.now(), options_.default_region};
        if (absl::Status s =
                NormalizeAndValidatePatient(validation, "patient", updated);
            !s.ok()) {
          return s;
        }
        updated.set_etag(req->patient().etag());
        absl::StatusOr<v1::Patient> saved =
            store_->Update(*id, updated, &audit);
        if (!saved.ok()) return saved.status();
        *resp = *std::move(saved);
        return absl::OkStatus();
      },
      req->patient().name());
}

grpc::ServerUnaryReactor* PatientServiceImpl::FindOrCreatePatient(
    grpc::CallbackServerContext* context,
    const v1::FindOrCreatePatientRequest* req,
    v1::FindOrCreatePatientResponse* resp) {
  return rpcs_.Serve(
      context, "FindOrCreatePatient",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        if (absl::Status s = text::ValidateRequestId(req->request_id());
            !s.ok()) {
          return s;
        }
        if (!req->has_patient()) {
          return status::InvalidField("patient", "is required");
        }
        v1::Patient patient = req->patient();
        ValidationContext validation{options_.now(), options_.default_region};
        if (absl::Status s =
                NormalizeAndValidatePatient(validation, "patient", patient);
            !s.ok()) {
          return s;
        }
        if (patient.email().empty() && patient.phone().empty()) {
          return status::InvalidField(
              "patient.email",
              "an email or a phone is required to find a patient");
        }
        absl::StatusOr<FindOrCreateResult> result = store_->FindOrCreate(
            patient,
            RequestKey{"FindOrCreatePatient", req->request_id(),
                       db::DeterministicBytes(*req)},
            &audit);
        if (!result.ok()) return result.status();
        *resp->mutable_patient() = std::move(result->patient);
        resp->set_created(result->created);
        resp->set_matched_on(result->matched_on);
        return absl::OkStatus();
      },
      "patients");
}

grpc::ServerUnaryReactor* PatientServiceImpl::ArchivePatient(
    grpc::CallbackServerContext* context, const v1::ArchivePatientRequest* req,
    v1::Patient* resp) {
  return rpcs_.Serve(
      context, "ArchivePatient",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        absl::StatusOr<std::string> id = ParsePatientName("name", req->name());
        if (!id.ok()) return id.status();
        absl::StatusOr<v1::Patient> archived =
            store_->Archive(*id, req->etag(), &audit);
        if (!archived.ok()) return archived.status();
        *resp = *std::move(archived);
        return absl::OkStatus();
      },
      req->name());
}

grpc::ServerUnaryReactor* PatientServiceImpl::ListPatientAuditEvents(
    grpc::CallbackServerContext* context,
    const audit::v1::ListAuditEventsRequest* req,
    audit::v1::ListAuditEventsResponse* resp) {
  // Reading the trail is not itself a read of patient information: it is
  // checked like every call but not recorded (see RecordFailure).
  return rpcs_.Serve(
      context, "ListPatientAuditEvents",
      [=](const server::Call&) -> absl::Status {
        absl::StatusOr<audit::v1::ListAuditEventsResponse> events =
            store_->ListAuditEvents(*req);
        if (!events.ok()) return events.status();
        *resp = *std::move(events);
        return absl::OkStatus();
      });
}

}  // namespace clinic::patients
