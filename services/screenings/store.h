// Storage of contact requests. Records are the contract's messages, passed
// in validated (validation.h). Every call that returns a request records an
// audit event in its transaction when `audit` is set.
#ifndef CLINIC_SERVICES_SCREENINGS_STORE_H_
#define CLINIC_SERVICES_SCREENINGS_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/screenings/v1/screenings.pb.h"
#include "clinic/screenings/v1/screenings_service.pb.h"
#include "services/common/audit/audit.h"
#include "services/common/db/request_key.h"

namespace clinic::screenings {

using db::RequestKey;
using Audit = const audit::AuditContext*;

// At most this many open requests (new or contacted) from the public form
// per phone number or email: more are FAILED_PRECONDITION.
inline constexpr int kMaxOpenWebRequests = 3;

struct ContactQuery {
  std::vector<v1::ContactRequestState> states;  // non-empty
  std::string location;                         // empty: any
  int page_size = 50;
  // The (create micros, id) after which the page starts; empty: the first.
  std::vector<std::string> after;
};

struct ContactPage {
  std::vector<v1::ContactRequest> requests;
  std::vector<std::string> next;  // empty on the last page
};

struct NewAttempt {
  std::string id;     // the request's uuid
  std::string staff;  // "staff/{member}"
  v1::ContactOutcome outcome = v1::CONTACT_OUTCOME_UNSPECIFIED;
  std::string note;
  v1::ContactRequestState next_state = v1::CONTACT_REQUEST_STATE_UNSPECIFIED;
  std::string etag;  // empty: not checked
};

// Who a new screening is of, for linking it to the contact request it came
// from: the newest open request (new, contacted, screening booked) already
// linked to the patient, or else one whose phone or email matches theirs.
struct PatientContacts {
  std::string phone;  // E.164, or empty
  std::string email;  // or empty
};

// What ConvertScreening stored: the screening, and the request it came from
// (when there is one), now converted.
struct Conversion {
  v1::Screening screening;
  std::optional<v1::ContactRequest> request;
};

// A screening's changeable part, as UpdateScreening saves it.
struct ScreeningChange {
  std::string id;
  std::string etag;  // required
  google::protobuf::RepeatedPtrField<v1::ScreeningAnswer> answers;
  std::string findings;
  std::string notes;
};

class ContactStore {
 public:
  virtual ~ContactStore() = default;

  virtual absl::StatusOr<v1::ContactRequest> Create(
      const v1::ContactRequest& request, const RequestKey& key,
      Audit audit) = 0;
  // NOT_FOUND if there is none.
  virtual absl::StatusOr<v1::ContactRequest> Get(const std::string& id,
                                                 Audit audit) = 0;
  virtual absl::StatusOr<ContactPage> List(const ContactQuery& query,
                                           Audit audit) = 0;
  // Under the request's row lock: ABORTED for a stale etag,
  // FAILED_PRECONDITION for a closed request; records the attempt and the
  // new state.
  virtual absl::StatusOr<v1::ContactRequest> RecordAttempt(
      const NewAttempt& attempt, const RequestKey& key, Audit audit) = 0;
  // Screenings (evaluation not filled in: the service computes it).
  // Create: idempotent by `key`, links and moves on the contact request
  // `contacts` matches (see PatientContacts); Get: NOT_FOUND; List: a
  // patient's, newest first; Update: ABORTED for a stale etag,
  // FAILED_PRECONDITION once completed; Complete: FAILED_PRECONDITION if
  // already completed; AddAddendum: FAILED_PRECONDITION unless completed.
  virtual absl::StatusOr<v1::Screening> CreateScreening(
      const v1::Screening& screening, const PatientContacts& contacts,
      const RequestKey& key, Audit audit) = 0;
  virtual absl::StatusOr<v1::Screening> GetScreening(const std::string& id,
                                                     Audit audit) = 0;
  virtual absl::StatusOr<std::vector<v1::Screening>> ListScreenings(
      const std::string& patient, Audit audit) = 0;
  virtual absl::StatusOr<v1::Screening> UpdateScreening(
      const ScreeningChange& change, Audit audit) = 0;
  // `check` runs on the current screening under its row lock (the service
  // checks the outcome against the evaluation there).
  virtual absl::StatusOr<v1::Screening> CompleteScreening(
      const std::string& id, const std::string& etag,
      v1::ScreeningOutcome outcome,
      const std::function<absl::Status(const v1::Screening&)>& check,
      Audit audit) = 0;
  virtual absl::StatusOr<v1::Screening> AddAddendum(const std::string& id,
                                                    const std::string& staff,
                                                    const std::string& text,
                                                    Audit audit) = 0;

  // Records that screening `id` converted into `appointment` and marks its
  // contact request converted, under the screening's row lock. Idempotent
  // by `key` (the first answer again). FAILED_PRECONDITION if the screening
  // converted into another appointment, or is not completed with a PT
  // evaluation recommended.
  virtual absl::StatusOr<Conversion> Convert(const std::string& id,
                                             const std::string& appointment,
                                             const RequestKey& key,
                                             Audit audit) = 0;

  // Counts per (location, campaign) of requests created in [from, to):
  // requests, contacted (any attempt reached them), screenings booked
  // (state booked or converted), screenings done (a linked screening is
  // completed), converted. Not patient information.
  virtual absl::StatusOr<std::vector<v1::FunnelRow>> Funnel(absl::Time from,
                                                            absl::Time to) = 0;

  // One audit event for a failed call.
  virtual absl::Status RecordFailure(const audit::AuditContext& audit,
                                     const std::string& resource,
                                     const std::string& outcome) = 0;
};

}  // namespace clinic::screenings

#endif  // CLINIC_SERVICES_SCREENINGS_STORE_H_
