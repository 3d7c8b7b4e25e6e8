#include "services/common/audit/audit.h"

#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/common/db/params.h"
#include "services/common/db/prepared.h"
#include "services/common/time/timestamps.h"

namespace clinic::audit {

db::Migration AuditEventsMigration(const std::string& schema,
                                   const std::string& name) {
  static constexpr char kTemplate[] =
      "-- Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE for every "
      "role,\n"
      "-- the service's own included, and no role holds those privileges.\n"
      "CREATE TABLE $S.audit_events (\n"
      "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
      "  event_time timestamptz NOT NULL DEFAULT now(),\n"
      "  actor text NOT NULL,\n"
      "  actor_roles text[] NOT NULL DEFAULT '{}',\n"
      "  action text NOT NULL,\n"
      "  resource text NOT NULL,\n"
      "  resources text[] NOT NULL DEFAULT '{}',\n"
      "  outcome text NOT NULL,\n"
      "  request_id text NOT NULL DEFAULT '',\n"
      "  client_address text NOT NULL DEFAULT ''\n"
      ");\n"
      "\n"
      "CREATE INDEX audit_events_resource_idx\n"
      "  ON $S.audit_events (resource, id DESC);\n"
      "CREATE INDEX audit_events_resources_idx\n"
      "  ON $S.audit_events USING gin (resources);\n"
      "CREATE INDEX audit_events_actor_idx\n"
      "  ON $S.audit_events (actor, id DESC);\n"
      "CREATE INDEX audit_events_time_idx\n"
      "  ON $S.audit_events (event_time);\n"
      "\n"
      "CREATE FUNCTION $S.refuse_audit_change() RETURNS trigger\n"
      "LANGUAGE plpgsql AS $$\n"
      "BEGIN\n"
      "  RAISE EXCEPTION 'audit events are append-only'\n"
      "    USING ERRCODE = 'insufficient_privilege';\n"
      "END\n"
      "$$;\n"
      "\n"
      "CREATE TRIGGER audit_events_append_only\n"
      "  BEFORE UPDATE OR DELETE ON $S.audit_events\n"
      "  FOR EACH ROW EXECUTE FUNCTION $S.refuse_audit_change();\n"
      "CREATE TRIGGER audit_events_no_truncate\n"
      "  BEFORE TRUNCATE ON $S.audit_events\n"
      "  FOR EACH STATEMENT EXECUTE FUNCTION $S.refuse_audit_change();\n"
      "\n"
      "REVOKE UPDATE, DELETE, TRUNCATE ON $S.audit_events FROM PUBLIC;\n";
  return db::Migration{name, absl::StrReplaceAll(kTemplate, {{"$S", schema}})};
}

AuditContext ContextOf(const server::Call& call) {
  return AuditContext{call.actor(), call.role_names(), call.method,
                      call.request_id, call.client_address};
}
namespace {

std::vector<std::string> SplitUnitSeparated(const char* s) {
  return absl::StrSplit(s, '\x1f', absl::SkipEmpty());
}

// Filters: $1 resource, $2 actor, $3 start micros or 0, $4 end micros or 0,
// $5/$6 the (event_time micros, id) of the last row of the previous page or
// 0, $7 limit. Newest first by event time (ids are assigned in insertion
// order, which concurrent transactions can make differ from time order).
constexpr char kListWhere[] =
    " WHERE ($1 = '' OR resource = $1 OR $1 = ANY (resources))"
    "   AND ($2 = '' OR actor = $2)"
    "   AND ($3::bigint = 0 OR event_time >= 'epoch'::timestamptz"
    "                               + $3::bigint * interval '1 microsecond')"
    "   AND ($4::bigint = 0 OR event_time < 'epoch'::timestamptz"
    "                              + $4::bigint * interval '1 microsecond')"
    "   AND ($5::bigint = 0 OR (event_time, id) < ('epoch'::timestamptz"
    "                               + $5::bigint * interval '1 microsecond', "
    "$6))"
    " ORDER BY event_time DESC, id DESC LIMIT $7";

}  // namespace

AuditLog::AuditLog(db::Pool* pool, std::string table)
    : pool_(pool),
      insert_sql_(absl::StrCat(
          "INSERT INTO ", table,
          " (actor, actor_roles, action, resource, resources, outcome,"
          " request_id, client_address)"
          " VALUES ($1, $2::text[], $3, $4, $5::text[], $6, $7, $8)")),
      list_sql_(absl::StrCat(
          "SELECT id, (extract(epoch FROM event_time) * 1000000)::bigint,"
          " actor, array_to_string(actor_roles, chr(31)), action, resource,"
          " array_to_string(resources, chr(31)), outcome, request_id,"
          " client_address FROM ",
          table, kListWhere)) {}

void AuditLog::Record(pqxx::work& txn, const AuditContext& c,
                      const std::string& resource,
                      const std::vector<std::string>& resources,
                      const std::string& outcome) const {
  std::vector<std::string> kept(
      resources.begin(),
      resources.begin() + std::min<size_t>(resources.size(), kMaxResources));
  db::ExecPrepared(txn, insert_sql_, c.actor, db::TextArray(c.actor_roles),
                   c.action, resource, db::TextArray(kept), outcome,
                   c.request_id, c.client_address);
}

absl::Status AuditLog::RecordAlone(const AuditContext& context,
                                   const std::string& resource,
                                   const std::string& outcome) const {
  return pool_->Transact([&](pqxx::work& w) {
    Record(w, context, resource, {}, outcome);
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::ListAuditEventsResponse> AuditLog::List(
    const v1::ListAuditEventsRequest& req) const {
  if (req.page_size() < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  const int page_size = req.page_size() == 0
                            ? kDefaultPageSize
                            : std::min(req.page_size(), kMaxPageSize);
  // The page token is "<event time micros>.<id>" of the last row shown.
  int64_t before_time = 0, before_id = 0;
  if (!req.page_token().empty()) {
    std::vector<std::string> parts = absl::StrSplit(req.page_token(), '.');
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &before_time) ||
        !absl::SimpleAtoi(parts[1], &before_id) || before_time <= 0 ||
        before_id <= 0) {
      return absl::InvalidArgumentError("page_token: malformed");
    }
  }
  const int64_t start =
      req.has_start_time() ? time::MicrosFromTimestamp(req.start_time()) : 0;
  const int64_t end =
      req.has_end_time() ? time::MicrosFromTimestamp(req.end_time()) : 0;
  if (start != 0 && end != 0 && end <= start) {
    return absl::InvalidArgumentError("end_time: must be after start_time");
  }
  if (req.resource().size() > 200) {
    return absl::InvalidArgumentError("resource: longer than 200 characters");
  }
  if (req.actor().size() > 200) {
    return absl::InvalidArgumentError("actor: longer than 200 characters");
  }
  return pool_->Transact([&](pqxx::work& w)
                             -> absl::StatusOr<v1::ListAuditEventsResponse> {
    pqxx::result rows =
        w.exec_params(list_sql_, req.resource(), req.actor(), start, end,
                      before_time, before_id, page_size + 1);
    v1::ListAuditEventsResponse resp;
    for (int i = 0; i < static_cast<int>(rows.size()) && i < page_size; ++i) {
      const pqxx::row& r = rows[i];
      v1::AuditEvent* e = resp.add_audit_events();
      e->set_name(absl::StrCat("auditEvents/", r[0].c_str()));
      *e->mutable_event_time() = time::TimestampFromMicros(r[1].as<int64_t>());
      e->set_actor(r[2].c_str());
      for (auto& role : SplitUnitSeparated(r[3].c_str())) {
        e->add_actor_roles(role);
      }
      e->set_action(r[4].c_str());
      e->set_resource(r[5].c_str());
      for (auto& res : SplitUnitSeparated(r[6].c_str())) {
        e->add_resources(res);
      }
      e->set_outcome(r[7].c_str());
      e->set_request_id(r[8].c_str());
      e->set_client_address(r[9].c_str());
    }
    if (static_cast<int>(rows.size()) > page_size) {
      const pqxx::row& last = rows[page_size - 1];
      resp.set_next_page_token(
          absl::StrCat(last[1].c_str(), ".", last[0].c_str()));
    }
    return resp;
  });
}

}  // namespace clinic::audit
