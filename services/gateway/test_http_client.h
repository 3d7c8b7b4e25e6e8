#ifndef CLINIC_SERVICES_GATEWAY_TEST_HTTP_CLIENT_H_
#define CLINIC_SERVICES_GATEWAY_TEST_HTTP_CLIENT_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace clinic::gateway::testing {

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct HttpResponse {
  int status = -1;  // -1: transport error (see `error`)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  bool keep_alive = false;
  std::string error;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

// A blocking HTTP/1.1 client over one TCP connection to 127.0.0.1:port, for
// tests. Requests on one object reuse the connection (keep-alive).
class HttpConnection {
 public:
  explicit HttpConnection(int port);
  ~HttpConnection();

  // Sends `request` (Host and Content-Length are added) and reads the answer.
  HttpResponse Send(const HttpRequest& request);
  // Writes `raw` bytes as they are, then reads one answer.
  HttpResponse SendRaw(const std::string& raw);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One request on a fresh connection.
HttpResponse Fetch(int port, const HttpRequest& request);

}  // namespace clinic::gateway::testing

#endif  // CLINIC_SERVICES_GATEWAY_TEST_HTTP_CLIENT_H_
