#include "services/appointments/pg_rows.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

namespace clinic::appointments::pg {

std::string ToJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, o);
  return out;
}

void FromJson(const std::string& json, google::protobuf::Message* m) {
  google::protobuf::util::JsonParseOptions o;
  o.ignore_unknown_fields = true;
  (void)google::protobuf::util::JsonStringToMessage(json, m, o);
}

std::string JsonArray(const std::vector<std::string>& values) {
  google::protobuf::ListValue list;
  for (const std::string& v : values) list.add_values()->set_string_value(v);
  return ToJson(list);
}

const db::RequestLog& Requests() {
  static const auto* const kLog = new db::RequestLog("appointments");
  return *kLog;
}

}  // namespace clinic::appointments::pg
