// Storage of staff members, sessions and login failures. Members travel as
// the contract's StaffMember message, validated and normalized by the caller
// (see validation.h); instants are passed in so tests can move the clock.
#ifndef CLINIC_SERVICES_STAFF_STORE_H_
#define CLINIC_SERVICES_STAFF_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/staff/v1/staff.pb.h"
#include "services/common/db/page_token.h"
#include "services/common/db/request_key.h"
#include "services/staff/throttle.h"

namespace clinic::staff {

// Position after the last row of a page, in list order.
// The position after the last row of a page (family, given name, id).
using ListCursor = db::NameCursor;

struct ListQuery {
  int page_size = 50;
  std::optional<ListCursor> after;
  int role = 0;               // api::v1::StaffRole; 0: any
  std::string home_location;  // "locations/{id}"; empty: any
  bool show_deactivated = false;
};

struct ListResult {
  std::vector<v1::StaffMember> members;
  std::optional<ListCursor> next;  // set when more rows follow
};

// Retryable changes are recorded by db::RequestKey (see request_key.h).
using db::RequestKey;

// A member with the secret the login needs. Never leaves the service.
struct MemberCredentials {
  v1::StaffMember member;
  std::string id;
  std::string password_hash;
};

struct CreateResult {
  v1::StaffMember member;
  bool created = false;  // false: a retry of an earlier request_id
};

// Why a session ended (staff.sessions.ended_reason).
enum class EndReason {
  kLogout,
  kRevoked,
  kIdle,
  kExpired,
  kPasswordChanged,
  kPasswordReset,
  kDeactivated,
  kAccountChanged,  // roles or email changed
};
const char* EndReasonName(EndReason reason);

struct SessionRecord {
  std::string id;
  std::string member_id;
  absl::Time create_time;
  absl::Time last_seen_time;
  absl::Time expire_time;  // absolute timeout
  std::string client_address;
  std::string user_agent;
  bool ended = false;
};

// A session found by its token, with its member.
struct SessionWithMember {
  SessionRecord session;
  v1::StaffMember member;
};

// One throttled key ("email:<lower email>", "addr:<ip>") and its policy.
struct ThrottleKey {
  std::string key;
  ThrottlePolicy policy;
};

class StaffStore {
 public:
  virtual ~StaffStore() = default;

  // --- Members ---

  // NOT_FOUND if there is no such member.
  virtual absl::StatusOr<v1::StaffMember> Get(const std::string& id) = 0;

  // The member and password hash; NOT_FOUND if none.
  virtual absl::StatusOr<MemberCredentials> GetCredentials(
      const std::string& id) = 0;

  // The member whose email equals `email` case-insensitively, or nullopt.
  virtual absl::StatusOr<std::optional<MemberCredentials>> FindByEmail(
      const std::string& email) = 0;

  virtual absl::StatusOr<ListResult> List(const ListQuery& query) = 0;

  // Inserts an active member. ALREADY_EXISTS ("staff_member.email: ...") if
  // the email is taken. With a request_id already used for the same request,
  // returns that member (created = false); for another request
  // INVALID_ARGUMENT.
  virtual absl::StatusOr<CreateResult> Create(const v1::StaffMember& member,
                                              const std::string& password_hash,
                                              const RequestKey& key) = 0;

  // Inserts an active admin unless an active admin exists
  // (FAILED_PRECONDITION); serialized so two bootstraps create one.
  virtual absl::StatusOr<v1::StaffMember> CreateFirstAdmin(
      const v1::StaffMember& member, const std::string& password_hash) = 0;

  // Replaces the editable fields with `member`'s if its etag is current:
  // NOT_FOUND, ABORTED (stale etag), FAILED_PRECONDITION (deactivated),
  // ALREADY_EXISTS (email taken). If the roles or the email (compared
  // case-insensitively) change, ends the member's sessions at `now`.
  virtual absl::StatusOr<v1::StaffMember> Update(const std::string& id,
                                                 const v1::StaffMember& member,
                                                 absl::Time now) = 0;

  // Marks deactivated (no-op if it is) and ends every session at `now`.
  virtual absl::StatusOr<v1::StaffMember> Deactivate(const std::string& id,
                                                     absl::Time now) = 0;

  // Stores a new password hash and ends every session of the member at
  // `now` with `reason`. NOT_FOUND; FAILED_PRECONDITION if deactivated.
  virtual absl::Status SetPassword(const std::string& id,
                                   const std::string& password_hash,
                                   EndReason reason, absl::Time now) = 0;

  // Replaces `old_hash` by `new_hash` (same password, new parameters)
  // unless the password changed meanwhile. Sessions are untouched.
  virtual absl::Status RehashPassword(const std::string& id,
                                      const std::string& old_hash,
                                      const std::string& new_hash) = 0;

  // --- Sessions ---

  // Inserts a session (its id is chosen by the store) for the SHA-256 of
  // its token; returns it with the id set.
  virtual absl::StatusOr<SessionRecord> CreateSession(
      const SessionRecord& session, const std::string& token_hash) = 0;

  // The session with this token hash and its member; NOT_FOUND if none.
  virtual absl::StatusOr<SessionWithMember> FindSession(
      const std::string& token_hash) = 0;

  // NOT_FOUND unless the session exists and belongs to `member_id`.
  virtual absl::StatusOr<SessionRecord> GetSession(
      const std::string& member_id, const std::string& session_id) = 0;

  // Sets last_seen_time to `now` if the session is not ended.
  virtual absl::Status TouchSession(const std::string& session_id,
                                    absl::Time now) = 0;

  // Ends the session at `now` (no-op if it already ended).
  virtual absl::Status EndSession(const std::string& session_id,
                                  EndReason reason, absl::Time now) = 0;

  // Sessions of the member not ended, not past expire_time and seen after
  // `idle_since`, newest first.
  virtual absl::StatusOr<std::vector<SessionRecord>> ListActiveSessions(
      const std::string& member_id, absl::Time now, absl::Time idle_since) = 0;

  // --- Login throttling ---

  // Atomically, for every key: reads its failures in the policy's window
  // and asks DecideThrottle. If any key refuses, returns RESOURCE_EXHAUSTED
  // (ThrottledError, the longest wait) and records nothing. Otherwise
  // records one failure per key at `now` (pessimistically: concurrent
  // attempts count before their passwords are checked) and returns their
  // ids for ForgiveLoginAttempt.
  virtual absl::StatusOr<std::vector<int64_t>> AdmitLoginAttempt(
      const std::vector<ThrottleKey>& keys, absl::Time now) = 0;

  // After a successful login: deletes the failures `ids` recorded for it
  // and every failure of `clear_key` (the email's).
  virtual absl::Status ForgiveLoginAttempt(const std::vector<int64_t>& ids,
                                           const std::string& clear_key) = 0;
};

}  // namespace clinic::staff

#endif  // CLINIC_SERVICES_STAFF_STORE_H_
