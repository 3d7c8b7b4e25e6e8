#include "services/staff/service.h"

#include <google/protobuf/util/field_mask_util.h>

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/db/request_key.h"
#include "services/common/server/log.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"
#include "services/common/time/timestamps.h"
#include "services/staff/page_token.h"
#include "services/staff/session_token.h"
#include "services/staff/validation.h"

namespace clinic::staff {
namespace {

using ::google::protobuf::util::FieldMaskUtil;
using server::Caller;
using v1::StaffMember;

// Longest password Login hashes; longer ones cannot be right (the policy
// allows 256 code points, at most 1024 bytes of UTF-8).
constexpr size_t kMaxLoginPasswordBytes = 4 * kMaxPasswordLength;
constexpr size_t kMaxTokenLength = 256;

constexpr char kWrongCredentials[] = "wrong email or password";
constexpr char kNotLoggedIn[] = "not logged in";
constexpr char kSessionExpired[] = "session expired";

// The caller's member id, or UNAUTHENTICATED for an anonymous caller and
// PERMISSION_DENIED for one without a staff role.
absl::StatusOr<std::string> RequireStaff(const Caller& caller) {
  if (caller.anonymous()) return absl::UnauthenticatedError(kNotLoggedIn);
  absl::StatusOr<std::string> id = ParseMemberName("caller", caller.staff);
  if (!id.ok()) return absl::UnauthenticatedError(kNotLoggedIn);
  if (caller.roles.empty()) {
    return absl::PermissionDeniedError("only staff may call this method");
  }
  return id;
}

bool IsAdmin(const Caller& caller) {
  return caller.HasRole(api::v1::STAFF_ROLE_ADMIN);
}

// Fields UpdateStaffMember may change: admins all, a member only these of
// their own.
const std::set<std::string>& AdminFields() {
  static const auto* const kFields =
      new std::set<std::string>{"given_name", "family_name", "email",
                                "roles",      "credentials", "home_locations"};
  return *kFields;
}
const std::set<std::string>& SelfFields() {
  static const auto* const kFields =
      new std::set<std::string>{"given_name", "family_name", "credentials"};
  return *kFields;
}

std::string EmailKey(absl::string_view email) {
  return absl::StrCat("email:", email);
}

}  // namespace

StaffServiceImpl::StaffServiceImpl(StaffStore* store,
                                   const server::CallerVerifier* verifier,
                                   StaffServiceOptions options)
    : store_(store),
      options_(std::move(options)),
      rpcs_(verifier, v1::StaffService::service_full_name()) {
  absl::StatusOr<std::string> dummy =
      HashPassword(GeneratePassword(), options_.argon2);
  if (dummy.ok()) {
    dummy_hash_ = *std::move(dummy);
  } else {
    server::LogError("cannot hash passwords: ", dummy.status().ToString());
  }
}

v1::Session StaffServiceImpl::ToProto(const SessionRecord& s,
                                      absl::string_view current) const {
  v1::Session out;
  out.set_name(absl::StrCat("staff/", s.member_id, "/sessions/", s.id));
  *out.mutable_create_time() = time::ToTimestamp(s.create_time);
  *out.mutable_last_seen_time() = time::ToTimestamp(s.last_seen_time);
  *out.mutable_idle_expire_time() = time::ToTimestamp(std::min(
      s.last_seen_time + options_.session_idle_timeout, s.expire_time));
  *out.mutable_expire_time() = time::ToTimestamp(s.expire_time);
  out.set_client_address(s.client_address);
  out.set_user_agent(s.user_agent);
  out.set_current(out.name() == current);
  return out;
}

grpc::ServerUnaryReactor* StaffServiceImpl::GetStaffMember(
    grpc::CallbackServerContext* context, const v1::GetStaffMemberRequest* req,
    StaffMember* resp) {
  return rpcs_.Serve(context, "GetStaffMember",
                     [=](const server::Call& caller) -> absl::Status {
                       absl::StatusOr<std::string> self = RequireStaff(caller);
                       if (!self.ok()) return self.status();
                       absl::StatusOr<std::string> id =
                           ParseMemberName("name", req->name());
                       if (!id.ok()) return id.status();
                       if (*id != *self && !IsAdmin(caller)) {
                         return absl::PermissionDeniedError(
                             "only an admin may read another staff member");
                       }
                       absl::StatusOr<StaffMember> m = store_->Get(*id);
                       if (!m.ok()) return m.status();
                       *resp = *std::move(m);
                       return absl::OkStatus();
                     });
}

grpc::ServerUnaryReactor* StaffServiceImpl::ListStaffMembers(
    grpc::CallbackServerContext* context,
    const v1::ListStaffMembersRequest* req,
    v1::ListStaffMembersResponse* resp) {
  return rpcs_.Serve(
      context, "ListStaffMembers",
      [=](const server::Call& caller) -> absl::Status {
        absl::StatusOr<std::string> self = RequireStaff(caller);
        if (!self.ok()) return self.status();
        if (req->page_size() < 0) {
          return status::InvalidField("page_size", "must not be negative");
        }
        ListQuery q;
        q.page_size = req->page_size() == 0
                          ? kDefaultPageSize
                          : std::min(req->page_size(), kMaxPageSize);
        if (req->role() != api::v1::STAFF_ROLE_UNSPECIFIED &&
            !api::v1::StaffRole_IsValid(req->role())) {
          return status::InvalidField(
              "role", absl::StrCat("unknown role ", req->role()));
        }
        q.role = req->role();
        if (!req->home_location().empty()) {
          if (absl::Status s =
                  ValidateLocationName("home_location", req->home_location());
              !s.ok()) {
            return s;
          }
          q.home_location = req->home_location();
        }
        q.show_deactivated = req->show_deactivated() && IsAdmin(caller);
        const std::string fingerprint = FilterFingerprint(q);
        if (!req->page_token().empty()) {
          absl::StatusOr<ListCursor> cursor =
              DecodePageToken(req->page_token(), fingerprint);
          if (!cursor.ok()) return cursor.status();
          q.after = *std::move(cursor);
        }
        absl::StatusOr<ListResult> result = store_->List(q);
        if (!result.ok()) return result.status();
        for (StaffMember& m : result->members) {
          *resp->add_staff_members() = std::move(m);
        }
        if (result->next) {
          resp->set_next_page_token(
              EncodePageToken(*result->next, fingerprint));
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* StaffServiceImpl::CreateStaffMember(
    grpc::CallbackServerContext* context,
    const v1::CreateStaffMemberRequest* req,
    v1::CreateStaffMemberResponse* resp) {
  return rpcs_.Serve(
      context, "CreateStaffMember",
      [=](const server::Call& caller) -> absl::Status {
        if (absl::Status s = text::ValidateRequestId(req->request_id());
            !s.ok()) {
          return s;
        }
        if (!req->has_staff_member()) {
          return status::InvalidField("staff_member", "is required");
        }
        StaffMember member = req->staff_member();
        if (absl::Status s = NormalizeAndValidateMember("staff_member", member);
            !s.ok()) {
          return s;
        }
        const std::string password = GeneratePassword();
        absl::StatusOr<std::string> hash =
            HashPassword(password, options_.argon2);
        if (!hash.ok()) return hash.status();
        absl::StatusOr<CreateResult> created =
            store_->Create(member, *hash,
                           RequestKey{"CreateStaffMember", req->request_id(),
                                      db::DeterministicBytes(*req)});
        if (!created.ok()) return created.status();
        if (created->created) {
          resp->set_initial_password(password);
          server::LogInfo(caller.actor(), " created ", created->member.name());
        }
        *resp->mutable_staff_member() = std::move(created->member);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* StaffServiceImpl::UpdateStaffMember(
    grpc::CallbackServerContext* context,
    const v1::UpdateStaffMemberRequest* req, StaffMember* resp) {
  return rpcs_.Serve(
      context, "UpdateStaffMember",
      [=](const server::Call& caller) { return DoUpdate(*req, caller, resp); });
}

absl::Status StaffServiceImpl::DoUpdate(const v1::UpdateStaffMemberRequest& req,
                                        const Caller& caller,
                                        StaffMember* resp) {
  absl::StatusOr<std::string> self = RequireStaff(caller);
  if (!self.ok()) return self.status();
  absl::StatusOr<std::string> id =
      ParseMemberName("staff_member.name", req.staff_member().name());
  if (!id.ok()) return id.status();
  if (req.staff_member().etag().empty()) {
    return status::InvalidField(
        "staff_member.etag",
        "is required (the etag of the member as last read)");
  }
  if (req.update_mask().paths_size() == 0) {
    return status::InvalidField(
        "update_mask", "is required (list the fields to change, or \"*\")");
  }
  google::protobuf::FieldMask mask;
  for (const std::string& path : req.update_mask().paths()) {
    if (path == "*") {
      for (const std::string& f : AdminFields()) mask.add_paths(f);
    } else if (AdminFields().count(path)) {
      mask.add_paths(path);
    } else {
      return status::InvalidField(
          "update_mask",
          absl::StrCat("'", path, "' is not a field that can be updated"));
    }
  }
  const bool admin = IsAdmin(caller);
  if (!admin) {
    if (*id != *self) {
      return absl::PermissionDeniedError(
          "only an admin may change another staff member");
    }
    for (const std::string& path : mask.paths()) {
      if (!SelfFields().count(path)) {
        return absl::PermissionDeniedError(absl::StrCat(
            "staff_member.", path,
            ": only an admin may change it; you may change your given_name, "
            "family_name and credentials"));
      }
    }
  }
  absl::StatusOr<StaffMember> current = store_->Get(*id);
  if (!current.ok()) return current.status();
  StaffMember updated = *current;
  FieldMaskUtil::MergeOptions merge;
  merge.set_replace_message_fields(true);
  merge.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(req.staff_member(), mask, merge, &updated);
  if (absl::Status s = NormalizeAndValidateMember("staff_member", updated);
      !s.ok()) {
    return s;
  }
  if (*id == *self && admin &&
      std::find(updated.roles().begin(), updated.roles().end(),
                api::v1::STAFF_ROLE_ADMIN) == updated.roles().end()) {
    return absl::FailedPreconditionError(
        "staff_member.roles: an admin cannot remove their own admin role "
        "(another admin can)");
  }
  updated.set_etag(req.staff_member().etag());
  absl::StatusOr<StaffMember> saved =
      store_->Update(*id, updated, options_.now());
  if (!saved.ok()) return saved.status();
  *resp = *std::move(saved);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* StaffServiceImpl::DeactivateStaffMember(
    grpc::CallbackServerContext* context,
    const v1::DeactivateStaffMemberRequest* req, StaffMember* resp) {
  return rpcs_.Serve(
      context, "DeactivateStaffMember",
      [=](const server::Call& caller) -> absl::Status {
        absl::StatusOr<std::string> id = ParseMemberName("name", req->name());
        if (!id.ok()) return id.status();
        if (*id == *ParseMemberName("caller", caller.staff)) {
          return absl::FailedPreconditionError(
              "an admin cannot deactivate themself; ask another admin");
        }
        absl::StatusOr<StaffMember> m = store_->Deactivate(*id, options_.now());
        if (!m.ok()) return m.status();
        server::LogInfo(caller.actor(), " deactivated ", m->name());
        *resp = *std::move(m);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* StaffServiceImpl::ResetPassword(
    grpc::CallbackServerContext* context, const v1::ResetPasswordRequest* req,
    v1::ResetPasswordResponse* resp) {
  return rpcs_.Serve(
      context, "ResetPassword",
      [=](const server::Call& caller) -> absl::Status {
        absl::StatusOr<std::string> id = ParseMemberName("name", req->name());
        if (!id.ok()) return id.status();
        const std::string password = GeneratePassword();
        absl::StatusOr<std::string> hash =
            HashPassword(password, options_.argon2);
        if (!hash.ok()) return hash.status();
        if (absl::Status s = store_->SetPassword(
                *id, *hash, EndReason::kPasswordReset, options_.now());
            !s.ok()) {
          return s;
        }
        server::LogInfo(caller.actor(), " reset the password of staff/", *id);
        resp->set_new_password(password);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* StaffServiceImpl::ChangePassword(
    grpc::CallbackServerContext* context, const v1::ChangePasswordRequest* req,
    v1::ChangePasswordResponse*) {
  return rpcs_.Serve(context, "ChangePassword",
                     [=](const server::Call& caller) {
                       return DoChangePassword(*req, caller);
                     });
}

absl::Status StaffServiceImpl::DoChangePassword(
    const v1::ChangePasswordRequest& req, const Caller& caller) {
  absl::StatusOr<std::string> self = RequireStaff(caller);
  if (!self.ok()) return self.status();
  if (req.current_password().empty()) {
    return status::InvalidField("current_password", "is required");
  }
  if (req.new_password().empty()) {
    return status::InvalidField("new_password", "is required");
  }
  absl::StatusOr<MemberCredentials> creds = store_->GetCredentials(*self);
  if (!creds.ok()) return creds.status();
  if (absl::Status s =
          CheckPasswordPolicy(req.new_password(), creds->member.email());
      !s.ok()) {
    return s;
  }
  // Guessing the current password from a stolen session counts against the
  // same per-email limit as logins.
  const absl::Time now = options_.now();
  const std::string key =
      EmailKey(absl::AsciiStrToLower(creds->member.email()));
  absl::StatusOr<std::vector<int64_t>> attempt =
      store_->AdmitLoginAttempt({{key, options_.email_throttle}}, now);
  if (!attempt.ok()) return attempt.status();
  if (req.current_password().size() > kMaxLoginPasswordBytes ||
      !VerifyPassword(creds->password_hash, req.current_password())) {
    return status::InvalidField("current_password", "is not right");
  }
  if (absl::Status s = store_->ForgiveLoginAttempt(*attempt, key); !s.ok()) {
    server::LogWarning("could not clear login failures: ", s.ToString());
  }
  if (req.new_password() == req.current_password()) {
    return status::InvalidField("new_password",
                                "must differ from the current password");
  }
  absl::StatusOr<std::string> hash =
      HashPassword(req.new_password(), options_.argon2);
  if (!hash.ok()) return hash.status();
  if (absl::Status s = store_->SetPassword(
          *self, *hash, EndReason::kPasswordChanged, options_.now());
      !s.ok()) {
    return s;
  }
  server::LogInfo(caller.actor(), " changed their password");
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* StaffServiceImpl::Login(
    grpc::CallbackServerContext* context, const v1::LoginRequest* req,
    v1::LoginResponse* resp) {
  return rpcs_.Serve(context, "Login", [=](const server::Call& caller) {
    return DoLogin(*req, caller, resp);
  });
}

absl::Status StaffServiceImpl::DoLogin(const v1::LoginRequest& req,
                                       const Caller& caller,
                                       v1::LoginResponse* resp) {
  const std::string email =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(req.email()));
  if (email.empty()) return status::InvalidField("email", "is required");
  if (email.size() > kMaxEmailLength) {
    return status::InvalidField(
        "email", absl::StrCat("longer than ", kMaxEmailLength, " characters"));
  }
  if (req.password().empty()) {
    return status::InvalidField("password", "is required");
  }
  const std::string address =
      SanitizeForDisplay(absl::StripAsciiWhitespace(req.client_address().empty()
                                                        ? caller.client_address
                                                        : req.client_address()),
                         kMaxClientAddressLength);
  const absl::Time now = options_.now();
  std::vector<ThrottleKey> keys = {{EmailKey(email), options_.email_throttle}};
  if (!address.empty()) {
    keys.push_back({absl::StrCat("addr:", address), options_.address_throttle});
  }
  absl::StatusOr<std::vector<int64_t>> attempt =
      store_->AdmitLoginAttempt(keys, now);
  if (!attempt.ok()) {
    if (absl::IsResourceExhausted(attempt.status())) {
      server::LogWarning("login throttled from ", address);
    }
    return attempt.status();
  }
  absl::StatusOr<std::optional<MemberCredentials>> found =
      store_->FindByEmail(email);
  if (!found.ok()) return found.status();
  const bool plausible = req.password().size() <= kMaxLoginPasswordBytes;
  bool right = false;
  if (found->has_value() && plausible) {
    right = VerifyPassword((*found)->password_hash, req.password());
  } else {
    // Same work as for a real member, so the time reveals nothing.
    VerifyPassword(dummy_hash_, plausible ? req.password() : "x");
  }
  if (!right || (*found)->member.state() != v1::STAFF_STATE_ACTIVE) {
    server::LogInfo("login failed from ", address);
    return absl::UnauthenticatedError(kWrongCredentials);
  }
  MemberCredentials& member = **found;
  if (absl::Status s = store_->ForgiveLoginAttempt(*attempt, EmailKey(email));
      !s.ok()) {
    server::LogWarning("could not clear login failures: ", s.ToString());
  }
  if (NeedsRehash(member.password_hash, options_.argon2)) {
    absl::StatusOr<std::string> rehashed =
        HashPassword(req.password(), options_.argon2);
    absl::Status s = rehashed.status();
    if (rehashed.ok()) {
      s = store_->RehashPassword(member.id, member.password_hash, *rehashed);
    }
    if (!s.ok()) server::LogWarning("could not rehash: ", s.ToString());
  }
  const std::string token = NewSessionToken();
  SessionRecord session;
  session.member_id = member.id;
  session.create_time = now;
  session.last_seen_time = now;
  session.expire_time = now + options_.session_absolute_timeout;
  session.client_address = address;
  session.user_agent =
      SanitizeForDisplay(req.user_agent(), kMaxUserAgentLength);
  absl::StatusOr<SessionRecord> created =
      store_->CreateSession(session, SessionTokenHash(token));
  if (!created.ok()) return created.status();
  *resp->mutable_session() = ToProto(*created, "");
  resp->mutable_session()->set_current(true);
  resp->set_session_token(token);
  *resp->mutable_staff_member() = std::move(member.member);
  server::LogInfo("login ", resp->session().name(), " from ", address);
  return absl::OkStatus();
}

grpc::ServerUnaryReactor* StaffServiceImpl::ValidateSession(
    grpc::CallbackServerContext* context, const v1::ValidateSessionRequest* req,
    v1::ValidateSessionResponse* resp) {
  return rpcs_.Serve(
      context, "ValidateSession", [=](const server::Call&) -> absl::Status {
        const std::string& token = req->session_token();
        if (token.empty() || token.size() > kMaxTokenLength) {
          return absl::UnauthenticatedError(kNotLoggedIn);
        }
        absl::StatusOr<SessionWithMember> found =
            store_->FindSession(SessionTokenHash(token));
        if (absl::IsNotFound(found.status())) {
          return absl::UnauthenticatedError(kNotLoggedIn);
        }
        if (!found.ok()) return found.status();
        SessionRecord& s = found->session;
        if (s.ended || found->member.state() != v1::STAFF_STATE_ACTIVE) {
          return absl::UnauthenticatedError(kSessionExpired);
        }
        const absl::Time now = options_.now();
        const bool absolute = now >= s.expire_time;
        if (absolute ||
            now - s.last_seen_time >= options_.session_idle_timeout) {
          if (absl::Status e = store_->EndSession(
                  s.id, absolute ? EndReason::kExpired : EndReason::kIdle, now);
              !e.ok()) {
            server::LogWarning("could not end an expired session: ",
                               e.ToString());
          }
          return absl::UnauthenticatedError(kSessionExpired);
        }
        if (now - s.last_seen_time >= options_.touch_interval) {
          if (absl::Status t = store_->TouchSession(s.id, now); !t.ok())
            return t;
          s.last_seen_time = now;
        }
        *resp->mutable_session() = ToProto(s, "");
        resp->mutable_session()->set_current(true);
        *resp->mutable_staff_member() = std::move(found->member);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* StaffServiceImpl::Logout(
    grpc::CallbackServerContext* context, const v1::LogoutRequest*,
    v1::LogoutResponse*) {
  return rpcs_.Serve(
      context, "Logout", [=](const server::Call& caller) -> absl::Status {
        absl::StatusOr<std::string> self = RequireStaff(caller);
        if (!self.ok()) return self.status();
        absl::StatusOr<SessionName> name =
            ParseSessionName("caller.session", caller.session);
        if (!name.ok() || name->member_id != *self) {
          return absl::UnauthenticatedError(kNotLoggedIn);
        }
        return store_->EndSession(name->session_id, EndReason::kLogout,
                                  options_.now());
      });
}

grpc::ServerUnaryReactor* StaffServiceImpl::ListMySessions(
    grpc::CallbackServerContext* context, const v1::ListMySessionsRequest*,
    v1::ListMySessionsResponse* resp) {
  return rpcs_.Serve(context, "ListMySessions",
                     [=](const server::Call& caller) -> absl::Status {
                       absl::StatusOr<std::string> self = RequireStaff(caller);
                       if (!self.ok()) return self.status();
                       const absl::Time now = options_.now();
                       absl::StatusOr<std::vector<SessionRecord>> sessions =
                           store_->ListActiveSessions(
                               *self, now, now - options_.session_idle_timeout);
                       if (!sessions.ok()) return sessions.status();
                       for (const SessionRecord& s : *sessions) {
                         *resp->add_sessions() = ToProto(s, caller.session);
                       }
                       return absl::OkStatus();
                     });
}

grpc::ServerUnaryReactor* StaffServiceImpl::RevokeSession(
    grpc::CallbackServerContext* context, const v1::RevokeSessionRequest* req,
    v1::RevokeSessionResponse*) {
  return rpcs_.Serve(
      context, "RevokeSession",
      [=](const server::Call& caller) -> absl::Status {
        absl::StatusOr<std::string> self = RequireStaff(caller);
        if (!self.ok()) return self.status();
        absl::StatusOr<SessionName> name =
            ParseSessionName("name", req->name());
        if (!name.ok()) return name.status();
        if (name->member_id != *self && !IsAdmin(caller)) {
          return absl::PermissionDeniedError(
              "only an admin may revoke another member's session");
        }
        absl::StatusOr<SessionRecord> s =
            store_->GetSession(name->member_id, name->session_id);
        if (!s.ok()) return s.status();
        if (absl::Status e =
                store_->EndSession(s->id, EndReason::kRevoked, options_.now());
            !e.ok()) {
          return e;
        }
        server::LogInfo(caller.actor(), " revoked ", req->name());
        return absl::OkStatus();
      });
}

}  // namespace clinic::staff
