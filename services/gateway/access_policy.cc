#include "services/gateway/access_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <string>

namespace clinic::gateway {

absl::Status CheckAccess(const clinic::api::v1::Access& access,
                         const Caller& caller) {
  if (access.allow_anonymous()) return absl::OkStatus();
  if (access.staff_roles_size() == 0) {
    return absl::PermissionDeniedError("method has no access policy");
  }
  // Staff methods: there is no staff login yet, so only a caller on this
  // machine (an operator, the integration tests) may use them.
  if (caller.loopback) return absl::OkStatus();
  return absl::PermissionDeniedError(
      "staff methods are only available from loopback until staff login "
      "exists");
}

bool IsLoopbackAddress(absl::string_view ip) {
  // Strip an IPv6 zone ("::1%lo") and brackets ("[::1]").
  std::string text(ip);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (auto pct = text.find('%'); pct != std::string::npos) text.resize(pct);

  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) return v6.s6_addr[12] == 127;
    return false;
  }
  return false;
}

}  // namespace clinic::gateway
