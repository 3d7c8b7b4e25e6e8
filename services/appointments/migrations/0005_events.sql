-- The transactional outbox: what happened to appointments, written in the
-- same transaction as the change (committed with it or not at all), read in
-- order by ListAppointmentEvents. The order is that of the writing
-- transactions' ids (txid), then id: a reader takes only events of
-- transactions older than every transaction still running
-- (pg_snapshot_xmin), so no event can appear later before its cursor.
CREATE TABLE appointments.events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  appointment_id uuid NOT NULL,
  -- AppointmentEvent.Kind.
  kind smallint NOT NULL,
  actor text NOT NULL DEFAULT '',
  time timestamptz NOT NULL DEFAULT now(),
  -- The serialized clinic.appointments.v1.Appointment after the change.
  body bytea NOT NULL,
  previous_start timestamptz
);

CREATE INDEX events_order_idx ON appointments.events (txid, id);
