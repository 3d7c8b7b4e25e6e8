#include "services/gateway/gateway_server.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/strand.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "clinic/api/v1/access.pb.h"
#include "clinic/staff/v1/staff_service.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "services/common/access/access.h"
#include "services/common/server/caller.h"
#include "services/gateway/backends.h"
#include "services/gateway/connect_codec.h"
#include "services/gateway/connect_error.h"
#include "services/gateway/connect_timeout.h"
#include "services/gateway/content_type.h"
#include "services/gateway/cross_site.h"
#include "services/gateway/rate_limiter.h"
#include "services/gateway/request_id.h"
#include "services/gateway/retry_after.h"
#include "services/gateway/security_headers.h"
#include "services/gateway/session_cookie.h"
#include "services/gateway/staff_client.h"
#include "services/gateway/static_files.h"

namespace clinic::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using access::AccessKind;
using access::CheckAccess;
using access::KindOf;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Beast and Debian's Abseil each have their own string_view.
absl::string_view Sv(beast::string_view s) {
  return absl::string_view(s.data(), s.size());
}
beast::string_view Bv(absl::string_view s) {
  return beast::string_view(s.data(), s.size());
}

// How long a connection may sit between requests, or take to send one.
constexpr auto kIoTimeout = std::chrono::seconds(30);
constexpr size_t kHeaderLimit = 16 * 1024;
// The wait announced when the staff service throttles a login without
// saying for how long.
constexpr absl::Duration kDefaultLoginWait = absl::Minutes(1);
// Longest User-Agent passed on to the staff service.
constexpr size_t kMaxUserAgent = 256;

std::optional<absl::string_view> HeaderValue(const Request& req,
                                             absl::string_view name) {
  auto it = req.find(Bv(name));
  if (it == req.end()) return std::nullopt;
  return Sv(it->value());
}

// The User-Agent as printable ASCII (proto strings must be UTF-8), truncated.
std::string CleanUserAgent(absl::string_view ua) {
  std::string out;
  for (char c : ua.substr(0, kMaxUserAgent)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

const google::protobuf::MethodDescriptor& LoginMethod() {
  static const google::protobuf::MethodDescriptor* const kLogin =
      clinic::staff::v1::LoginRequest::descriptor()
          ->file()
          ->FindServiceByName("StaffService")
          ->FindMethodByName("Login");
  return *kLogin;
}

// What a client may see of an error: the codes that mean "something broke
// inside" lose their message (it stays in the log, with the request id).
absl::Status ForClient(const absl::Status& status,
                       absl::string_view request_id) {
  switch (status.code()) {
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
      return absl::Status(
          status.code(),
          absl::StrCat("internal error (request id ", request_id, ")"));
    case absl::StatusCode::kUnavailable:
      return absl::UnavailableError(
          absl::StrCat("service unavailable, try again later (request id ",
                       request_id, ")"));
    default:
      return status;
  }
}

// Everything the sessions share. Member order matters for destruction:
// sessions still queued in `ioc` are destroyed with it and touch `mu`/`active`;
// `backends` waits for its callbacks (which post into `ioc`) before `ioc` goes.
struct Core {
  explicit Core(GatewayOptions opts)
      : options(std::move(opts)),
        cookie{options.cookie_secure},
        anonymous_limiter(options.anonymous_limit, options.clock),
        login_limiter(options.login_limit, options.clock),
        ioc(options.threads),
        work(net::make_work_guard(ioc)),
        acceptor(net::make_strand(ioc)),
        backends(std::make_unique<Backends>(options.backends,
                                            options.gateway_secret)),
        staff(backends.get(), options.staff_timeout, options.session_cache_ttl,
              options.clock) {}

  void BeginRequest() {
    absl::MutexLock lock(&mu);
    ++active;
  }
  void EndRequest() {
    absl::MutexLock lock(&mu);
    --active;
  }

  void DoAccept();

  const GatewayOptions options;  // public_origin normalized
  const SessionCookie cookie;
  RateLimiter anonymous_limiter;
  RateLimiter login_limiter;
  absl::Mutex mu;
  int active ABSL_GUARDED_BY(mu) = 0;  // requests read but not yet answered
  std::atomic<bool> stopping{false};
  net::io_context ioc;
  net::executor_work_guard<net::io_context::executor_type> work;
  tcp::acceptor acceptor;
  std::unique_ptr<Backends> backends;
  StaffClient staff;
  std::vector<std::thread> threads;
  int port = 0;
  bool stopped = false;
};

// One HTTP/1.1 connection: reads a request, answers it, and repeats while the
// connection is kept alive. Every handler runs on the connection's strand;
// backend replies are posted back onto it.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket&& socket, Core* core)
      : stream_(std::move(socket)), core_(core) {
    if (!core_->options.client_address_override.empty()) {
      client_ip_ = core_->options.client_address_override;
    } else {
      beast::error_code ec;
      tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
      if (!ec) client_ip_ = peer.address().to_string();
    }
  }

  ~Connection() { EndRequest(); }

  void Start() {
    net::dispatch(
        stream_.get_executor(),
        beast::bind_front_handler(&Connection::ReadHeader, shared_from_this()));
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(core_->options.max_body_bytes);
    stream_.expires_after(kIoTimeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Connection::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    // Beast refuses a Content-Length above body_limit while parsing the
    // header.
    if (ec == http::error::body_limit) return OnBody(ec, 0);
    if (ec) return OnReadError(ec);
    const auto& header = parser_->get();
    BeginRequest(header);
    // Refuse an oversized body before reading it. The body stays unread, so
    // the connection closes after the answer.
    if (boost::optional<uint64_t> length = parser_->content_length();
        length && *length > core_->options.max_body_bytes) {
      keep_alive_ = false;
      return SendError(absl::ResourceExhaustedError(absl::StrCat(
                           "request body is larger than ",
                           core_->options.max_body_bytes, " bytes")),
                       413);
    }
    if (absl::EqualsIgnoreCase(Sv(header[http::field::expect]),
                               "100-continue")) {
      continue_.emplace(http::status::continue_, header.version());
      return http::async_write(
          stream_, *continue_,
          beast::bind_front_handler(&Connection::OnContinueSent,
                                    shared_from_this()));
    }
    ReadBody();
  }

  void OnContinueSent(beast::error_code ec, size_t) {
    if (ec) return Close();
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(kIoTimeout);
    http::async_read(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Connection::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, size_t) {
    if (ec == http::error::body_limit) {
      if (!in_request_) BeginRequest(parser_->get());
      keep_alive_ = false;
      return SendError(absl::ResourceExhaustedError(absl::StrCat(
                           "request body is larger than ",
                           core_->options.max_body_bytes, " bytes")),
                       413);
    }
    if (ec) return OnReadError(ec);
    req_ = parser_->release();
    stream_.expires_never();  // nothing is read while the request is served
    Handle();
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::eof || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || !parser_->got_some()) {
      return Close();
    }
    // A malformed request: say so, then close (the stream is out of sync).
    if (!in_request_) BeginRequest(parser_->get());
    keep_alive_ = false;
    Response res{http::status::bad_request, version_};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = absl::StrCat("bad request: ", ec.message(), "\n");
    Send(std::move(res));
  }

  void BeginRequest(const http::request_header<>& header) {
    in_request_ = true;
    core_->BeginRequest();
    start_ = absl::Now();
    version_ = header.version() ? header.version() : 11;
    keep_alive_ = parser_->is_header_done() && parser_->keep_alive();
    method_ = std::string(Sv(header.method_string()));
    // The path only: a query string may carry what logs must not.
    absl::string_view target = Sv(header.target());
    target_ =
        std::string(target.substr(0, std::min<size_t>(target.find('?'), 200)));
    // A feed's path is its secret: never logged.
    if (absl::StartsWith(target_, "/feeds/")) target_ = "/feeds/(token).ics";
    actor_ = "anonymous";
    auto rid = header.find("X-Request-Id");
    request_id_ =
        RequestIdFor(rid == header.end()
                         ? std::nullopt
                         : std::optional<absl::string_view>(Sv(rid->value())));
  }

  void EndRequest() {
    if (!in_request_) return;
    in_request_ = false;
    core_->EndRequest();
  }

  void Handle() {
    absl::string_view target = Sv(req_.target());
    absl::string_view path = target.substr(0, target.find('?'));
    // Cross-site request defence for everything that can change state.
    if (req_.method() != http::verb::get && req_.method() != http::verb::head) {
      absl::Status site =
          CheckSameOrigin(RequestSite{HeaderValue(req_, "Origin"),
                                      HeaderValue(req_, "Sec-Fetch-Site"),
                                      Sv(req_[http::field::host])},
                          core_->options.public_origin);
      if (!site.ok()) return SendError(site);
    }
    if (path == "/healthz") return HandleHealthz();
    if (path == "/readyz") return HandleReadyz();
    if (path == "/auth/login") return HandleLogin();
    if (path == "/auth/logout") return HandleLogout();
    if (path == "/auth/me") return HandleMe();
    if (absl::StartsWith(path, "/auth/")) {
      return SendError(absl::NotFoundError("unknown /auth endpoint"));
    }
    if (absl::StartsWith(path, "/feeds/")) return HandleFeed(path);
    if (std::optional<RpcPath> rpc = ParseRpcPath(path)) return HandleRpc(*rpc);
    HandleStatic(target);
  }

  // --- staff sessions ----------------------------------------------------

  // The request's session token, from the configured cookie.
  std::optional<std::string> SessionToken() const {
    std::vector<absl::string_view> headers;
    auto range = req_.equal_range(http::field::cookie);
    for (auto it = range.first; it != range.second; ++it) {
      headers.push_back(Sv(it->value()));
    }
    return core_->cookie.Find(headers);
  }

  // The caller of the gateway's own calls, and of public methods.
  server::Caller AnonymousCaller() const {
    server::Caller caller;
    caller.request_id = request_id_;
    caller.client_address = client_ip_;
    return caller;
  }

  // Looks up the session of `token`, then runs `next` on the strand.
  void ValidateSession(
      const std::string& token,
      std::function<void(Connection&, absl::StatusOr<StaffIdentity>)> next) {
    core_->staff.ValidateSession(
        token, AnonymousCaller(),
        [self = shared_from_this(),
         next = std::move(next)](absl::StatusOr<StaffIdentity> identity) {
          // A cached session answers at once, on the connection's strand:
          // go on there without a trip through the scheduler. An answer from
          // the staff service comes on a gRPC thread and is posted.
          net::dispatch(self->stream_.get_executor(),
                        [self, next = std::move(next),
                         identity = std::move(identity)]() mutable {
                          if (identity.ok()) {
                            self->actor_ = identity->member.name();
                          }
                          next(*self, std::move(identity));
                        });
        });
  }

  // 429 with Retry-After.
  void SendRateLimited(absl::Duration wait, absl::string_view message = "") {
    const std::string seconds = RetryAfterValue(wait);
    SendError(absl::ResourceExhaustedError(
                  message.empty() ? absl::StrCat("too many requests, try "
                                                 "again in ",
                                                 seconds, " seconds")
                                  : std::string(message)),
              429, {{"Retry-After", seconds}});
  }

  void HandleLogin() {
    if (req_.method() != http::verb::post) {
      return SendError(absl::UnimplementedError("use POST"), 405,
                       {{"Allow", "POST"}});
    }
    if (ParseConnectContentType(Sv(req_[http::field::content_type])) !=
        Codec::kJson) {
      return SendError(
          absl::InvalidArgumentError("Content-Type must be application/json"),
          415);
    }
    if (RateLimiter::Decision d = core_->login_limiter.Take(client_ip_);
        !d.allowed) {
      return SendRateLimited(d.retry_after);
    }
    if (!core_->staff.configured()) {
      return SendError(absl::UnavailableError("no staff backend"));
    }
    absl::StatusOr<std::string> wire =
        RequestToWire(LoginMethod(), Codec::kJson, req_.body());
    if (!wire.ok()) return SendError(wire.status());
    clinic::staff::v1::LoginRequest login;
    if (!login.ParseFromString(*wire) || !login.client_address().empty() ||
        !login.user_agent().empty()) {
      return SendError(absl::InvalidArgumentError(
          "the body is {\"email\": ..., \"password\": ...}"));
    }
    login.set_client_address(client_ip_);
    login.set_user_agent(CleanUserAgent(Sv(req_[http::field::user_agent])));
    core_->staff.Login(
        login, AnonymousCaller(),
        [self = shared_from_this()](
            absl::StatusOr<clinic::staff::v1::LoginResponse> reply) {
          net::post(self->stream_.get_executor(),
                    [self, reply = std::move(reply)]() mutable {
                      self->OnLogin(std::move(reply));
                    });
        });
  }

  void OnLogin(absl::StatusOr<clinic::staff::v1::LoginResponse> reply) {
    if (reply.ok()) {
      if (!IsSessionToken(reply->session_token())) {
        return SendError(absl::InternalError(
            "the staff service returned a malformed session token"));
      }
      actor_ = reply->staff_member().name();
      return SendJson(
          StaffMemberResponseJson(reply->staff_member()),
          {{"Set-Cookie", core_->cookie.Set(reply->session_token())}});
    }
    switch (reply.status().code()) {
      case absl::StatusCode::kUnauthenticated:
        // One answer for every failure, whatever the service said.
        return SendError(absl::UnauthenticatedError("wrong email or password"));
      case absl::StatusCode::kResourceExhausted:
        return SendRateLimited(
            WaitFromMessage(reply.status().message(), kDefaultLoginWait),
            reply.status().message());
      default:
        return SendError(reply.status());
    }
  }

  void HandleLogout() {
    if (req_.method() != http::verb::post) {
      return SendError(absl::UnimplementedError("use POST"), 405,
                       {{"Allow", "POST"}});
    }
    std::optional<std::string> token = SessionToken();
    if (!token) return SendLoggedOut();
    if (!core_->staff.configured()) {
      return SendError(absl::UnavailableError("no staff backend"), 0,
                       {{"Set-Cookie", core_->cookie.Clear()}});
    }
    // From now on this gateway asks the staff service about the token.
    core_->staff.Forget(*token);
    ValidateSession(
        *token, [token = *token](Connection& self,
                                 absl::StatusOr<StaffIdentity> identity) {
          if (identity.status().code() == absl::StatusCode::kUnauthenticated) {
            return self.SendLoggedOut();
          }
          if (!identity.ok()) {
            return self.SendError(identity.status(), 0,
                                  {{"Set-Cookie", self.core_->cookie.Clear()}});
          }
          self.core_->staff.Logout(
              identity->ToCaller(self.request_id_, self.client_ip_),
              [self = self.shared_from_this(), token](absl::Status status) {
                self->core_->staff.Forget(token);
                net::post(self->stream_.get_executor(), [self, status]() {
                  if (status.ok() ||
                      status.code() == absl::StatusCode::kUnauthenticated) {
                    return self->SendLoggedOut();
                  }
                  self->SendError(
                      status, 0, {{"Set-Cookie", self->core_->cookie.Clear()}});
                });
              });
        });
  }

  void SendLoggedOut() {
    SendJson("{}", {{"Set-Cookie", core_->cookie.Clear()}});
  }

  void HandleMe() {
    if (req_.method() != http::verb::get) {
      return SendError(absl::UnimplementedError("use GET"), 405,
                       {{"Allow", "GET"}});
    }
    std::optional<std::string> token = SessionToken();
    if (!token) return SendError(absl::UnauthenticatedError("sign in first"));
    if (!core_->staff.configured()) {
      return SendError(absl::UnavailableError("no staff backend"));
    }
    ValidateSession(
        *token, [](Connection& self, absl::StatusOr<StaffIdentity> identity) {
          if (identity.status().code() == absl::StatusCode::kUnauthenticated) {
            return self.SendError(absl::UnauthenticatedError("sign in first"));
          }
          if (!identity.ok()) return self.SendError(identity.status());
          self.SendJson(StaffMemberResponseJson(identity->member));
        });
  }

  // --- Connect unary -> gRPC ---------------------------------------------

  void HandleRpc(const RpcPath& rpc) {
    if (req_.method() != http::verb::post) {
      return SendError(
          absl::UnimplementedError("Connect unary procedures accept only POST"),
          405, {{"Allow", "POST"}});
    }
    const google::protobuf::MethodDescriptor* method = FindMethod(rpc);
    // An internal method answers exactly as a missing one.
    if (method == nullptr ||
        KindOf(method->options().GetExtension(clinic::api::v1::access)) ==
            AccessKind::kInternalOnly) {
      return SendError(absl::NotFoundError(
          absl::StrCat("unknown procedure /", rpc.service, "/", rpc.method)));
    }
    const clinic::api::v1::Access& access =
        method->options().GetExtension(clinic::api::v1::access);
    if (KindOf(access) == AccessKind::kUndeclared) {
      return SendError(CheckAccess(access, std::nullopt));
    }
    if (method->client_streaming() || method->server_streaming()) {
      return SendError(
          absl::UnimplementedError("the gateway bridges unary methods only"));
    }
    auto encoding = req_.find(http::field::content_encoding);
    if (encoding != req_.end() &&
        !absl::EqualsIgnoreCase(Sv(encoding->value()), "identity")) {
      return SendError(
          absl::UnimplementedError("request compression is not supported"),
          415);
    }
    std::optional<Codec> codec =
        ParseConnectContentType(Sv(req_[http::field::content_type]));
    if (!codec) {
      return SendError(
          absl::InvalidArgumentError(
              "Content-Type must be application/json or application/proto"),
          415);
    }
    auto timeout_header = req_.find("Connect-Timeout-Ms");
    absl::StatusOr<absl::Duration> timeout = ParseConnectTimeout(
        timeout_header == req_.end()
            ? std::nullopt
            : std::optional<absl::string_view>(Sv(timeout_header->value())),
        core_->options.default_timeout);
    if (!timeout.ok()) return SendError(timeout.status());

    const absl::Time deadline = absl::Now() + *timeout;

    if (KindOf(access) == AccessKind::kAnonymous) {
      // Staff signed in are not the public: with a valid session a public
      // method is forwarded as them and not rate-limited per address (a
      // practice's desks share one address).
      std::optional<std::string> token = SessionToken();
      if (token && core_->staff.configured()) {
        return ValidateSession(
            *token,
            [method, codec = *codec, deadline](
                Connection& self, absl::StatusOr<StaffIdentity> identity) {
              if (identity.ok()) {
                return self.Forward(
                    *method, codec, deadline,
                    identity->ToCaller(self.request_id_, self.client_ip_));
              }
              self.ForwardAnonymous(*method, codec, deadline);
            });
      }
      return ForwardAnonymous(*method, *codec, deadline);
    }
    // Staff roles: a valid session, looked up afresh for every request.
    std::optional<std::string> token = SessionToken();
    if (!token) return SendError(CheckAccess(access, std::nullopt));
    if (!core_->staff.configured()) {
      return SendError(absl::UnavailableError("no staff backend"));
    }
    ValidateSession(
        *token, [method, codec = *codec, deadline](
                    Connection& self, absl::StatusOr<StaffIdentity> identity) {
          const clinic::api::v1::Access& access =
              method->options().GetExtension(clinic::api::v1::access);
          if (identity.status().code() == absl::StatusCode::kUnauthenticated) {
            return self.SendError(CheckAccess(access, std::nullopt));
          }
          if (!identity.ok()) return self.SendError(identity.status());
          absl::Status allowed = CheckAccess(access, identity->principal());
          if (!allowed.ok()) return self.SendError(allowed);
          self.Forward(*method, codec, deadline,
                       identity->ToCaller(self.request_id_, self.client_ip_));
        });
  }

  // A public method called without a (valid) session: rate-limited per
  // client address.
  void ForwardAnonymous(const google::protobuf::MethodDescriptor& method,
                        Codec codec, absl::Time deadline) {
    if (RateLimiter::Decision d = core_->anonymous_limiter.Take(client_ip_);
        !d.allowed) {
      return SendRateLimited(d.retry_after);
    }
    Forward(method, codec, deadline, AnonymousCaller());
  }

  void Forward(const google::protobuf::MethodDescriptor& method, Codec codec,
               absl::Time deadline, const server::Caller& caller) {
    // Checked only now, so that who may not call learns nothing of the setup.
    const std::string& service = method.service()->full_name();
    if (!core_->backends->Has(service)) {
      return SendError(absl::UnavailableError(
          absl::StrCat("no backend is configured for ", service)));
    }
    absl::StatusOr<std::string> wire =
        RequestToWire(method, codec, req_.body());
    if (!wire.ok()) return SendError(wire.status());
    core_->backends->Call(
        service, absl::StrCat("/", service, "/", method.name()),
        *std::move(wire), deadline, caller,
        [self = shared_from_this(), method = &method,
         codec](Backends::Reply reply) mutable {
          // On a gRPC thread: hop back onto the connection's strand.
          net::post(self->stream_.get_executor(),
                    [self, method, codec, reply = std::move(reply)]() mutable {
                      self->OnBackendReply(*method, codec, std::move(reply));
                    });
        });
  }

  void OnBackendReply(const google::protobuf::MethodDescriptor& method,
                      Codec codec, Backends::Reply reply) {
    if (absl::IsUnavailable(reply.status)) {
      // A busy or restarting service: tell the client when to try again.
      return SendError(reply.status, 0,
                       {{"Retry-After", RetryAfterValue(absl::Seconds(1))}});
    }
    if (!reply.status.ok()) return SendError(reply.status);
    absl::StatusOr<std::string> body =
        ResponseFromWire(method, codec, reply.body);
    if (!body.ok()) return SendError(body.status());
    Response res{http::status::ok, version_};
    res.set(http::field::content_type, Bv(ContentTypeFor(codec)));
    res.body() = *std::move(body);
    Send(std::move(res));
  }

  // --- calendar feeds ----------------------------------------------------

  // GET /feeds/<token>.ics: a therapist's calendar for calendar programs
  // (NotificationService.ReadCalendarFeed, public: the token is the key),
  // rate-limited per address like every public call. 404 for a token that
  // opens nothing, 503 + Retry-After while the service is away.
  void HandleFeed(absl::string_view path) {
    if (req_.method() != http::verb::get && req_.method() != http::verb::head) {
      return SendText(http::status::method_not_allowed, "method not allowed\n",
                      {{"Allow", "GET, HEAD"}});
    }
    absl::string_view token = path.substr(std::string_view("/feeds/").size());
    if (!absl::ConsumeSuffix(&token, ".ics") || token.empty() ||
        token.size() > 64 ||
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
                                "tuvwxyz0123456789-_") != token.npos) {
      return SendText(http::status::not_found, "not found\n");
    }
    const google::protobuf::MethodDescriptor* method = FindMethod(RpcPath{
        "clinic.notifications.v1.NotificationService", "ReadCalendarFeed"});
    if (method == nullptr ||
        !core_->backends->Has(method->service()->full_name())) {
      return SendText(http::status::not_found, "not found\n");
    }
    if (RateLimiter::Decision d = core_->anonymous_limiter.Take(client_ip_);
        !d.allowed) {
      return SendRateLimited(d.retry_after);
    }
    absl::StatusOr<std::string> wire = RequestToWire(
        *method, Codec::kJson, absl::StrCat("{\"token\":\"", token, "\"}"));
    if (!wire.ok()) return SendText(http::status::not_found, "not found\n");
    const std::string& service = method->service()->full_name();
    core_->backends->Call(
        service, absl::StrCat("/", service, "/", method->name()),
        *std::move(wire), absl::Now() + core_->options.default_timeout,
        AnonymousCaller(),
        [self = shared_from_this(), method](Backends::Reply reply) mutable {
          net::post(self->stream_.get_executor(),
                    [self, method, reply = std::move(reply)]() mutable {
                      self->OnFeedReply(*method, std::move(reply));
                    });
        });
  }

  void OnFeedReply(const google::protobuf::MethodDescriptor& method,
                   Backends::Reply reply) {
    if (absl::IsNotFound(reply.status)) {
      return SendText(http::status::not_found,
                      "This calendar link does not work (any more).\n");
    }
    if (absl::IsUnavailable(reply.status)) {
      return SendText(http::status::service_unavailable,
                      "The calendar is not available right now.\n",
                      {{"Retry-After", RetryAfterValue(absl::Seconds(5))}});
    }
    if (!reply.status.ok()) return SendError(reply.status);
    const google::protobuf::Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(
            method.output_type());
    const google::protobuf::FieldDescriptor* ics =
        method.output_type()->FindFieldByName("ics");
    std::unique_ptr<google::protobuf::Message> file(prototype->New());
    if (ics == nullptr || !file->ParseFromString(reply.body)) {
      return SendError(absl::InternalError("unreadable calendar"));
    }
    Response res{http::status::ok, version_};
    res.set(http::field::content_type, "text/calendar; charset=utf-8");
    res.set(http::field::cache_control, "private, no-store");
    res.body() = file->GetReflection()->GetString(*file, ics);
    Send(std::move(res));
  }

  // --- health ------------------------------------------------------------

  void HandleHealthz() {
    Response res{http::status::ok, version_};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = "ok\n";
    Send(std::move(res));
  }

  void HandleReadyz() {
    core_->backends->CheckHealth(
        core_->options.health_timeout,
        [self = shared_from_this()](std::vector<Backends::Health> health) {
          net::post(
              self->stream_.get_executor(),
              [self, health = std::move(health)]() { self->OnReadyz(health); });
        });
  }

  void OnReadyz(const std::vector<Backends::Health>& health) {
    bool ready = true;
    std::string body;
    if (!core_->staff.configured()) {
      ready = false;
      absl::StrAppend(&body, kStaffService,
                      ": no backend configured (staff sessions unavailable)\n");
    }
    for (const Backends::Health& h : health) {
      ready = ready && h.serving;
      absl::StrAppend(&body, h.service, " at ", h.target, ": ", h.detail, "\n");
    }
    Response res{ready ? http::status::ok : http::status::service_unavailable,
                 version_};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = absl::StrCat(ready ? "ready\n" : "not ready\n", body);
    Send(std::move(res));
  }

  // --- static files ------------------------------------------------------

  void HandleStatic(absl::string_view target) {
    const bool head = req_.method() == http::verb::head;
    if (req_.method() != http::verb::get && !head) {
      return SendText(http::status::method_not_allowed, "method not allowed\n",
                      {{"Allow", "GET, HEAD"}});
    }
    if (core_->options.web_root.empty()) {
      return SendText(http::status::not_found, "not found\n");
    }
    absl::StatusOr<StaticFile> file = ResolveStaticPath(target);
    if (!file.ok()) {
      return SendText(http::status::bad_request,
                      absl::StrCat(file.status().message(), "\n"));
    }
    absl::StatusOr<std::string> data =
        ReadStaticFile(core_->options.web_root, file->relative_path);
    if (!data.ok()) return SendText(http::status::not_found, "not found\n");
    Response res{http::status::ok, version_};
    res.set(http::field::content_type, file->content_type);
    res.set(http::field::cache_control, file->cache_control);
    if (head) {
      res.content_length(data->size());
      return Send(std::move(res), /*keep_length=*/true);
    }
    res.body() = *std::move(data);
    Send(std::move(res));
  }

  // --- answers -----------------------------------------------------------

  using Headers = std::vector<std::pair<std::string, std::string>>;

  // A Connect error: JSON body, HTTP status from the code unless given.
  // Internal details stay in the log.
  void SendError(const absl::Status& status, int http_status = 0,
                 const Headers& headers = {}) {
    const absl::Status shown = ForClient(status, request_id_);
    if (shown != status) {
      std::string line = absl::StrCat("gateway: rid=", request_id_, " ",
                                      status.ToString().substr(0, 300), "\n");
      std::fwrite(line.data(), 1, line.size(), stderr);
    }
    Response res{
        static_cast<http::status>(
            http_status ? http_status : HttpStatusForCode(status.code())),
        version_};
    res.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers) res.set(name, value);
    res.body() = ConnectErrorJson(shown);
    Send(std::move(res));
  }

  // 200 with a JSON body.
  void SendJson(std::string body, const Headers& headers = {}) {
    Response res{http::status::ok, version_};
    res.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers) res.set(name, value);
    res.body() = std::move(body);
    Send(std::move(res));
  }

  void SendText(http::status status, std::string text,
                const Headers& headers = {}) {
    Response res{status, version_};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    for (const auto& [name, value] : headers) res.set(name, value);
    res.body() = std::move(text);
    Send(std::move(res));
  }

  void Send(Response res, bool keep_length = false) {
    res.set(http::field::server, "clinic-gateway");
    res.set("X-Request-Id", request_id_);
    for (const auto& [name, value] : SecurityHeaders()) {
      res.set(Bv(name), Bv(value));
    }
    if (res.find(http::field::cache_control) == res.end()) {
      res.set(http::field::cache_control, "no-store");
    }
    res.keep_alive(keep_alive_ && !core_->stopping.load());
    if (!keep_length) res.prepare_payload();
    res_ = std::move(res);
    stream_.expires_after(kIoTimeout);
    http::async_write(
        stream_, *res_,
        beast::bind_front_handler(&Connection::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, size_t) {
    const bool close = res_->need_eof();
    Log(ec);
    res_.reset();
    EndRequest();
    if (ec || close) return Close();
    ReadHeader();
  }

  void Log(beast::error_code ec) {
    std::string line = absl::StrCat(
        "gateway: ", client_ip_, " ", method_, " ", target_, " ",
        res_->result_int(), " ",
        absl::ToInt64Milliseconds(absl::Now() - start_), "ms rid=", request_id_,
        " actor=", actor_,
        ec ? absl::StrCat(" write error: ", ec.message()) : "", "\n");
    std::fwrite(line.data(), 1, line.size(), stderr);
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  Core* core_;
  std::string client_ip_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  Request req_;
  std::optional<Response> res_;

  // The request being served.
  bool in_request_ = false;
  absl::Time start_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  std::string method_;
  std::string target_;
  std::string request_id_;
  std::string actor_ = "anonymous";  // "staff/{member}" once known
};

void Core::DoAccept() {
  acceptor.async_accept(
      net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (!acceptor.is_open()) return;
        if (!ec) {
          std::make_shared<Connection>(std::move(socket), this)->Start();
        }
        DoAccept();
      });
}

}  // namespace

struct GatewayServer::Impl : Core {
  using Core::Core;
};

GatewayServer::GatewayServer(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

GatewayServer::~GatewayServer() { Stop(); }

int GatewayServer::port() const { return impl_->port; }

absl::StatusOr<std::unique_ptr<GatewayServer>> GatewayServer::Start(
    GatewayOptions options) {
  if (options.threads < 1) {
    return absl::InvalidArgumentError("threads must be at least 1");
  }
  if (options.max_body_bytes == 0) {
    return absl::InvalidArgumentError("max_body_bytes must be positive");
  }
  if (options.port < 0 || options.port > 65535) {
    return absl::InvalidArgumentError("port must be in 0..65535");
  }
  if (options.gateway_secret.empty()) {
    return absl::FailedPreconditionError(
        "no gateway secret: set CLINIC_GATEWAY_SECRET or "
        "--gateway_secret_file");
  }
  absl::StatusOr<std::string> public_origin =
      NormalizeOrigin(options.public_origin);
  if (!public_origin.ok()) return public_origin.status();
  options.public_origin = *std::move(public_origin);
  if (options.anonymous_limit.burst < 0 || options.login_limit.burst < 0) {
    return absl::InvalidArgumentError("rate limit bursts must not be negative");
  }
  auto impl = std::make_unique<Impl>(std::move(options));
  const GatewayOptions& opts = impl->options;

  beast::error_code ec;
  net::ip::address address = net::ip::make_address(opts.address, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad address \"", opts.address, "\": ", ec.message()));
  }
  tcp::endpoint endpoint(address, static_cast<unsigned short>(opts.port));
  tcp::acceptor& acceptor = impl->acceptor;
  if (acceptor.open(endpoint.protocol(), ec) ||
      acceptor.set_option(net::socket_base::reuse_address(true), ec) ||
      acceptor.bind(endpoint, ec) ||
      acceptor.listen(net::socket_base::max_listen_connections, ec)) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", opts.address, ":", opts.port, ": ", ec.message()));
  }
  impl->port = acceptor.local_endpoint().port();
  impl->DoAccept();
  for (int i = 0; i < opts.threads; ++i) {
    Core* core = impl.get();
    impl->threads.emplace_back([core] { core->ioc.run(); });
  }
  return std::unique_ptr<GatewayServer>(new GatewayServer(std::move(impl)));
}

void GatewayServer::Stop() {
  Core& core = *impl_;
  if (core.stopped) return;
  core.stopped = true;
  core.stopping = true;
  net::post(core.acceptor.get_executor(), [&core] {
    beast::error_code ignored;
    core.acceptor.close(ignored);
  });
  {
    // Let requests in progress finish; their answers close the connection.
    absl::MutexLock lock(&core.mu);
    core.mu.AwaitWithTimeout(
        absl::Condition(
            +[](int* active) { return *active == 0; }, &core.active),
        core.options.shutdown_grace);
  }
  core.work.reset();
  core.ioc.stop();
  for (std::thread& t : core.threads) t.join();
  core.threads.clear();
}

}  // namespace clinic::gateway
