#include "services/gateway/test_http_client.h"

#include <algorithm>
#include <cctype>

#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"

namespace clinic::gateway::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct HttpConnection::Impl {
  explicit Impl(int port) : socket(ioc) {
    beast::error_code ec;
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"),
                                 static_cast<unsigned short>(port)),
                   ec);
    connect_error = ec;
  }

  // `head`: the answer to a HEAD request, which has no body.
  HttpResponse Read(bool head) {
    HttpResponse out;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    parser.skip(head);
    beast::error_code ec;
    http::read(socket, buffer, parser, ec);
    if (ec) {
      out.error = ec.message();
      return out;
    }
    const auto& res = parser.get();
    out.status = res.result_int();
    out.keep_alive = res.keep_alive();
    for (const auto& field : res) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      out.headers[name] = std::string(field.value());
    }
    out.body = res.body();
    return out;
  }

  net::io_context ioc;
  tcp::socket socket;
  beast::flat_buffer buffer;
  beast::error_code connect_error;
};

HttpConnection::HttpConnection(int port)
    : impl_(std::make_unique<Impl>(port)) {}
HttpConnection::~HttpConnection() = default;

HttpResponse HttpConnection::Send(const HttpRequest& request) {
  if (impl_->connect_error) {
    HttpResponse out;
    out.error = impl_->connect_error.message();
    return out;
  }
  http::request<http::string_body> req;
  req.method_string(request.method);
  req.target(request.target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.body() = request.body;
  if (request.method != "GET" && request.method != "HEAD") {
    req.prepare_payload();
  }
  beast::error_code ec;
  http::write(impl_->socket, req, ec);
  if (ec) {
    HttpResponse out;
    out.error = ec.message();
    return out;
  }
  return impl_->Read(request.method == "HEAD");
}

HttpResponse HttpConnection::SendRaw(const std::string& raw) {
  beast::error_code ec;
  net::write(impl_->socket, net::buffer(raw), ec);
  if (ec) {
    HttpResponse out;
    out.error = ec.message();
    return out;
  }
  return impl_->Read(/*head=*/false);
}

HttpResponse Fetch(int port, const HttpRequest& request) {
  HttpConnection connection(port);
  return connection.Send(request);
}

}  // namespace clinic::gateway::testing
