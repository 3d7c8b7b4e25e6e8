#include "services/gateway/connect_codec.h"

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver.h"
#include "google/protobuf/util/type_resolver_util.h"
#include "google/protobuf/wire_format_lite.h"
#include "services/gateway/json_depth.h"

namespace clinic::gateway {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::DescriptorPool;
using ::google::protobuf::Message;
using ::google::protobuf::MessageFactory;
using ::google::protobuf::MethodDescriptor;

constexpr char kTypeUrlPrefix[] = "type.googleapis.com";

std::unique_ptr<Message> NewMessage(const Descriptor* type) {
  const Message* prototype =
      MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) return nullptr;
  return std::unique_ptr<Message>(prototype->New());
}

// Converts between JSON and the wire format straight from the descriptors
// (no message object in between): the generated pool, made once.
google::protobuf::util::TypeResolver* Resolver() {
  static google::protobuf::util::TypeResolver* const kResolver =
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          kTypeUrlPrefix, DescriptorPool::generated_pool());
  return kResolver;
}

std::string TypeUrl(const Descriptor* type) {
  return absl::StrCat(kTypeUrlPrefix, "/", type->full_name());
}

std::string ToStd(google::protobuf::StringPiece s) {
  return std::string(s.data(), s.size());
}

}  // namespace

std::optional<RpcPath> ParseRpcPath(absl::string_view path) {
  std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  // "", "<service>", "<method>"
  if (parts.size() != 3 || !parts[0].empty() || parts[1].empty() ||
      parts[2].empty()) {
    return std::nullopt;
  }
  if (parts[1].find('.') == absl::string_view::npos ||
      parts[2].find('.') != absl::string_view::npos) {
    return std::nullopt;
  }
  return RpcPath{std::string(parts[1]), std::string(parts[2])};
}

const MethodDescriptor* FindMethod(const RpcPath& path) {
  const google::protobuf::ServiceDescriptor* service =
      DescriptorPool::generated_pool()->FindServiceByName(path.service);
  if (service == nullptr) return nullptr;
  return service->FindMethodByName(path.method);
}

absl::StatusOr<std::string> RequestToWire(const MethodDescriptor& method,
                                          Codec codec, absl::string_view body) {
  std::unique_ptr<Message> message = NewMessage(method.input_type());
  if (message == nullptr) {
    return absl::InternalError(absl::StrCat("no generated class for ",
                                            method.input_type()->full_name()));
  }
  if (codec == Codec::kProto) {
    if (!message->ParseFromArray(body.data(), static_cast<int>(body.size()))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "request is not a valid ", method.input_type()->full_name()));
    }
    return std::string(body);
  }
  if (!JsonDepthWithin(body)) {
    return absl::InvalidArgumentError(
        absl::StrCat("JSON nested deeper than ", kMaxJsonDepth, " levels"));
  }
  if (body.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    body = "{}";
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(body.data(), body.size()), message.get(),
      options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid JSON request: ", ToStd(status.message())));
  }
  std::string wire;
  if (!message->SerializeToString(&wire)) {
    return absl::InternalError("cannot serialize request");
  }
  return wire;
}

absl::StatusOr<std::string> ResponseFromWire(const MethodDescriptor& method,
                                             Codec codec,
                                             absl::string_view wire) {
  // The backend's bytes go out as they are (binary), or are printed as JSON
  // straight from the wire format, once their framing is checked (the
  // printer alone lets a malformed tail through).
  if (codec == Codec::kProto) return std::string(wire);
  {
    google::protobuf::io::CodedInputStream input(
        reinterpret_cast<const uint8_t*>(wire.data()),
        static_cast<int>(wire.size()));
    if (!google::protobuf::internal::WireFormatLite::SkipMessage(&input) ||
        !input.ConsumedEntireMessage()) {
      return absl::InternalError(
          absl::StrCat("backend response is not a valid ",
                       method.output_type()->full_name()));
    }
  }
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;  // lowerCamelCase, as Connect.
  options.always_print_primitive_fields = false;
  std::string json;
  auto status = google::protobuf::util::BinaryToJsonString(
      Resolver(), TypeUrl(method.output_type()),
      std::string(wire.data(), wire.size()), &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("backend response is not a valid ",
                                            method.output_type()->full_name(),
                                            ": ", ToStd(status.message())));
  }
  return json;
}

}  // namespace clinic::gateway
