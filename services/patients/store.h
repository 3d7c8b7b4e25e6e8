// Storage of patient records. The record type is the contract's Patient
// message; callers pass it validated and normalized (see validation.h).
#ifndef CLINIC_SERVICES_PATIENTS_STORE_H_
#define CLINIC_SERVICES_PATIENTS_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clinic/audit/v1/audit.pb.h"
#include "clinic/patients/v1/patients.pb.h"
#include "clinic/patients/v1/patients_service.pb.h"
#include "services/common/audit/audit.h"
#include "services/common/db/page_token.h"
#include "services/common/db/request_key.h"

namespace clinic::patients {

// Position after the last row of a page, in list order.
// The position after the last row of a page (family, given name, id).
using ListCursor = db::NameCursor;

struct ListQuery {
  int page_size = 50;
  std::optional<ListCursor> after;
  std::string name_prefix;   // raw text; matched case-insensitively
  std::string phone;         // normalized
  std::string email;         // matched case-insensitively
  std::string birth_date;    // "YYYY-MM-DD" or empty
  std::string phone_suffix;  // the last digits of the phone, or empty
  bool show_archived = false;
};

// A likely duplicate (FindSimilar) and what matched besides the date of
// birth.
struct SimilarPatient {
  v1::Patient patient;
  bool same_phone = false;
  bool same_email = false;
  bool same_name = false;
  bool similar_name = false;  // same family name, or given name and initial
};

struct ListResult {
  std::vector<v1::Patient> patients;
  std::optional<ListCursor> next;  // set when more rows follow
};

// Retryable changes are recorded by db::RequestKey (see request_key.h).
using db::RequestKey;

struct FindOrCreateResult {
  v1::Patient patient;
  bool created = false;
  v1::FindOrCreatePatientResponse::Match matched_on =
      v1::FindOrCreatePatientResponse::MATCH_UNSPECIFIED;
};

// Every method that reads or changes a patient takes `audit`: when it is
// not null, the store records one audit event (outcome "OK", the patients
// returned as resources) in the same transaction as the read or change.
// Null is for the service's own internal reads (e.g. before an update).
class PatientStore {
 public:
  using Audit = const audit::AuditContext*;
  virtual ~PatientStore() = default;

  // NOT_FOUND if there is no such patient.
  virtual absl::StatusOr<v1::Patient> Get(const std::string& id,
                                          Audit audit) = 0;

  virtual absl::StatusOr<ListResult> List(const ListQuery& query,
                                          Audit audit) = 0;

  // Active patients born on `patient`'s date of birth with the same phone
  // or email or a similar name (accents and case ignored), best first, at
  // most 10; `exclude_id` (a uuid, or empty) is left out.
  virtual absl::StatusOr<std::vector<SimilarPatient>> FindSimilar(
      const v1::Patient& patient, const std::string& exclude_id,
      Audit audit) = 0;

  // Which of `ids` (uuids) name a patient. Not audited: no attribute is read.
  virtual absl::StatusOr<std::vector<std::string>> Existing(
      const std::vector<std::string>& ids) = 0;

  // Sets reminders_opt_out (again: no change). NOT_FOUND if none.
  virtual absl::StatusOr<v1::Patient> OptOutOfReminders(const std::string& id,
                                                        Audit audit) = 0;

  // Inserts `patient`. With a request_id already used for the same request,
  // returns the patient created then; for another request INVALID_ARGUMENT.
  virtual absl::StatusOr<v1::Patient> Create(const v1::Patient& patient,
                                             const RequestKey& key,
                                             Audit audit) = 0;

  // Replaces the stored fields with `patient`'s, if its etag is current:
  // NOT_FOUND, ABORTED (stale etag) or FAILED_PRECONDITION (archived).
  virtual absl::StatusOr<v1::Patient> Update(const std::string& id,
                                             const v1::Patient& patient,
                                             Audit audit) = 0;

  // The active patient with the same birth date and email (preferred) or
  // phone, or a new one. Serialized per birth date so two concurrent calls
  // for the same person create one record.
  virtual absl::StatusOr<FindOrCreateResult> FindOrCreate(
      const v1::Patient& patient, const RequestKey& key, Audit audit) = 0;

  // Marks archived (no-op if it is). A non-empty etag must be current.
  virtual absl::StatusOr<v1::Patient> Archive(const std::string& id,
                                              const std::string& etag,
                                              Audit audit) = 0;

  // Records a call that failed (outcome = the status code's name).
  virtual absl::Status RecordFailure(const audit::AuditContext& audit,
                                     const std::string& resource,
                                     const std::string& outcome) = 0;

  // The audit trail, newest first.
  virtual absl::StatusOr<audit::v1::ListAuditEventsResponse> ListAuditEvents(
      const audit::v1::ListAuditEventsRequest& request) = 0;
};

}  // namespace clinic::patients

#endif  // CLINIC_SERVICES_PATIENTS_STORE_H_
