#include "services/gateway/staff_client.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"

namespace clinic::gateway {
namespace {

using ::clinic::staff::v1::LoginRequest;
using ::clinic::staff::v1::LoginResponse;
using ::clinic::staff::v1::LogoutRequest;
using ::clinic::staff::v1::LogoutResponse;
using ::clinic::staff::v1::ValidateSessionRequest;
using ::clinic::staff::v1::ValidateSessionResponse;

std::string MethodPath(absl::string_view method) {
  return absl::StrCat("/", kStaffService, "/", method);
}

// Parses a reply into `Message`, or passes its error on.
template <typename Message>
absl::StatusOr<Message> Parse(Backends::Reply reply, absl::string_view what) {
  if (!reply.status.ok()) return reply.status;
  Message message;
  if (!message.ParseFromString(reply.body)) {
    return absl::InternalError(
        absl::StrCat("unparsable ", what, " reply from the staff service"));
  }
  return message;
}

}  // namespace

access::Principal StaffIdentity::principal() const {
  access::Principal p;
  for (int role : member.roles()) {
    p.roles.push_back(static_cast<clinic::api::v1::StaffRole>(role));
  }
  return p;
}

server::Caller StaffIdentity::ToCaller(
    const std::string& request_id, const std::string& client_address) const {
  server::Caller caller;
  caller.staff = member.name();
  caller.roles = principal().roles;
  caller.session = session.name();
  caller.request_id = request_id;
  caller.client_address = client_address;
  return caller;
}

StaffClient::StaffClient(Backends* backends, absl::Duration timeout,
                         absl::Duration session_cache_ttl,
                         std::function<absl::Time()> clock)
    : backends_(backends),
      timeout_(timeout),
      ttl_(session_cache_ttl),
      clock_(clock ? std::move(clock) : [] { return absl::Now(); }) {}

void StaffClient::Remember(const std::string& token,
                           const StaffIdentity& identity) {
  if (ttl_ <= absl::ZeroDuration()) return;
  const absl::Time now = clock_();
  absl::Time until = now + ttl_;
  if (identity.session.has_idle_expire_time()) {
    until = std::min(until, absl::FromUnixSeconds(
                                identity.session.idle_expire_time().seconds()));
  }
  if (identity.session.has_expire_time()) {
    until = std::min(
        until, absl::FromUnixSeconds(identity.session.expire_time().seconds()));
  }
  if (until <= now) return;
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= kMaxCachedSessions) {
    absl::erase_if(cache_,
                   [now](const auto& e) { return e.second.until <= now; });
    if (cache_.size() >= kMaxCachedSessions) cache_.clear();
  }
  cache_[token] = Cached{identity, until};
}

void StaffClient::Forget(const std::string& token) {
  absl::MutexLock lock(&mu_);
  cache_.erase(token);
}

size_t StaffClient::cached_sessions() const {
  absl::MutexLock lock(&mu_);
  return cache_.size();
}

bool StaffClient::configured() const { return backends_->Has(kStaffService); }

void StaffClient::Login(
    const LoginRequest& request, const server::Caller& caller,
    std::function<void(absl::StatusOr<LoginResponse>)> done) {
  backends_->Call(kStaffService, MethodPath("Login"),
                  request.SerializeAsString(), absl::Now() + timeout_, caller,
                  [done = std::move(done)](Backends::Reply reply) {
                    done(Parse<LoginResponse>(std::move(reply), "Login"));
                  });
}

void StaffClient::ValidateSession(
    const std::string& token, const server::Caller& caller,
    std::function<void(absl::StatusOr<StaffIdentity>)> done) {
  if (ttl_ > absl::ZeroDuration()) {
    std::optional<StaffIdentity> hit;
    {
      absl::MutexLock lock(&mu_);
      auto it = cache_.find(token);
      if (it != cache_.end()) {
        if (it->second.until > clock_()) {
          hit = it->second.identity;
        } else {
          cache_.erase(it);
        }
      }
    }
    if (hit.has_value()) return done(*std::move(hit));
  }
  ValidateSessionRequest request;
  request.set_session_token(token);
  backends_->Call(
      kStaffService, MethodPath("ValidateSession"), request.SerializeAsString(),
      absl::Now() + timeout_, caller,
      [this, token, done = std::move(done)](Backends::Reply reply) {
        absl::StatusOr<ValidateSessionResponse> response =
            Parse<ValidateSessionResponse>(std::move(reply), "ValidateSession");
        if (!response.ok()) return done(response.status());
        if (response->staff_member().name().empty()) {
          return done(absl::InternalError(
              "the staff service validated a session without a member"));
        }
        StaffIdentity identity;
        identity.member = std::move(*response->mutable_staff_member());
        identity.session = std::move(*response->mutable_session());
        Remember(token, identity);
        done(std::move(identity));
      });
}

void StaffClient::Logout(const server::Caller& caller,
                         std::function<void(absl::Status)> done) {
  backends_->Call(
      kStaffService, MethodPath("Logout"), LogoutRequest().SerializeAsString(),
      absl::Now() + timeout_, caller,
      [done = std::move(done)](Backends::Reply reply) {
        done(Parse<LogoutResponse>(std::move(reply), "Logout").status());
      });
}

std::string StaffMemberResponseJson(
    const clinic::staff::v1::StaffMember& member) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  options.always_print_primitive_fields = false;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(member, &json, options)
           .ok()) {
    json = "{}";
  }
  return absl::StrCat("{\"staffMember\":", json, "}");
}

}  // namespace clinic::gateway
