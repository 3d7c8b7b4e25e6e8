#ifndef CLINIC_SERVICES_GATEWAY_STAFF_CLIENT_H_
#define CLINIC_SERVICES_GATEWAY_STAFF_CLIENT_H_

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clinic/staff/v1/staff.pb.h"
#include "clinic/staff/v1/staff_service.pb.h"
#include "services/common/access/access.h"
#include "services/common/server/caller.h"
#include "services/gateway/backends.h"

namespace clinic::gateway {

inline constexpr char kStaffService[] = "clinic.staff.v1.StaffService";

// The staff member behind a valid session token.
struct StaffIdentity {
  clinic::staff::v1::StaffMember member;
  clinic::staff::v1::Session session;

  // For the access decision: the member's roles.
  access::Principal principal() const;
  // For forwarding: staff = member.name, roles, session = session.name, and
  // the request's id and client address.
  server::Caller ToCaller(const std::string& request_id,
                          const std::string& client_address) const;
};

// The gateway's own calls to clinic.staff.v1.StaffService (Login,
// ValidateSession, Logout), over Backends (so they carry the gateway secret
// and never block). Callbacks run on gRPC threads (or at once).
//
// Validated sessions are cached for `session_cache_ttl` (never beyond the
// session's own expiry), so most requests cost no call to the staff service.
// The bound this puts on revocation: a session ended by Logout through this
// gateway is refused at once (Forget); one ended otherwise (a deactivation,
// a password change or reset, RevokeSession, a Logout through another
// gateway replica) and a change of roles take effect within the TTL. Zero
// turns the cache off.
class StaffClient {
 public:
  // `backends` must outlive this; `timeout` bounds each call; `clock` is
  // absl::Now when empty.
  StaffClient(Backends* backends, absl::Duration timeout,
              absl::Duration session_cache_ttl = absl::ZeroDuration(),
              std::function<absl::Time()> clock = nullptr);

  // True if a backend is configured for the staff service.
  bool configured() const;

  // Checks an email and password; the request's client_address and
  // user_agent are the gateway's to fill. `caller` is anonymous.
  void Login(
      const clinic::staff::v1::LoginRequest& request,
      const server::Caller& caller,
      std::function<void(absl::StatusOr<clinic::staff::v1::LoginResponse>)>
          done);

  // The identity behind `token`; UNAUTHENTICATED (from the service) for an
  // unknown, ended or expired session. `caller` is anonymous (request id and
  // client address only).
  void ValidateSession(const std::string& token, const server::Caller& caller,
                       std::function<void(absl::StatusOr<StaffIdentity>)> done);

  // Ends the session `caller` names (its x-clinic-session).
  void Logout(const server::Caller& caller,
              std::function<void(absl::Status)> done);

  // Drops `token` from the session cache (at logout).
  void Forget(const std::string& token);

  // Sessions in the cache now; for tests.
  size_t cached_sessions() const;

  // At most this many sessions are cached.
  static constexpr size_t kMaxCachedSessions = 10000;

 private:
  struct Cached {
    StaffIdentity identity;
    absl::Time until;
  };
  void Remember(const std::string& token, const StaffIdentity& identity);

  Backends* backends_;
  const absl::Duration timeout_;
  const absl::Duration ttl_;
  const std::function<absl::Time()> clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Cached> cache_ ABSL_GUARDED_BY(mu_);
};

// {"staffMember":{...}}: the member as Connect JSON (lowerCamelCase names,
// default values omitted). Never contains a token.
std::string StaffMemberResponseJson(
    const clinic::staff::v1::StaffMember& member);

}  // namespace clinic::gateway

#endif  // CLINIC_SERVICES_GATEWAY_STAFF_CLIENT_H_
