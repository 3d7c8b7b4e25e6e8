-- The audit trail of patient information (see services/common/audit).
-- Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE for every role,
-- the service's own included, and no role holds those privileges.
CREATE TABLE patients.audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_time timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  actor_roles text[] NOT NULL DEFAULT '{}',
  action text NOT NULL,
  resource text NOT NULL,
  resources text[] NOT NULL DEFAULT '{}',
  outcome text NOT NULL,
  request_id text NOT NULL DEFAULT '',
  client_address text NOT NULL DEFAULT ''
);

CREATE INDEX audit_events_resource_idx
  ON patients.audit_events (resource, id DESC);
CREATE INDEX audit_events_resources_idx
  ON patients.audit_events USING gin (resources);
CREATE INDEX audit_events_actor_idx
  ON patients.audit_events (actor, id DESC);
CREATE INDEX audit_events_time_idx
  ON patients.audit_events (event_time);

CREATE FUNCTION patients.refuse_audit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only'
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON patients.audit_events
  FOR EACH ROW EXECUTE FUNCTION patients.refuse_audit_change();
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON patients.audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION patients.refuse_audit_change();

REVOKE UPDATE, DELETE, TRUNCATE ON patients.audit_events FROM PUBLIC;
