-- Where the outbox of the appointments service has been read up to: one
-- row, advanced in the same transaction as the messages an event makes.
CREATE TABLE notifications.cursor (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  position text NOT NULL DEFAULT ''
);
INSERT INTO notifications.cursor DEFAULT VALUES;

-- Messages to patients and their delivery.
CREATE TABLE notifications.messages (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- What made it, unique: "event:<cursor>" or "reminder:<appointment>:<start
  -- micros>". A second attempt to make the same message does nothing.
  source text NOT NULL UNIQUE,
  appointment text NOT NULL,
  patient text NOT NULL,
  -- Message.Kind.
  kind smallint NOT NULL,
  recipient text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  ics text NOT NULL DEFAULT '',
  -- DeliveryState: 1 queued, 2 sent, 3 retrying, 4 given up, 5 no address.
  state smallint NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_result text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL DEFAULT now(),
  send_time timestamptz,
  next_attempt timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_due_idx ON notifications.messages (next_attempt)
  WHERE state IN (1, 3);
CREATE INDEX messages_patient_idx ON notifications.messages (patient, id DESC);
CREATE INDEX messages_appointment_idx ON notifications.messages (appointment);

-- One reminder per appointment: when it is due and what it says (rendered
-- when the appointment was booked or moved). Cancelling an appointment
-- cancels it; a sent reminder is never sent again for the same start.
CREATE TABLE notifications.reminders (
  appointment text PRIMARY KEY,
  patient text NOT NULL,
  start_time timestamptz NOT NULL,
  due_time timestamptz NOT NULL,
  recipient text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  -- 1 pending, 2 sent, 3 cancelled.
  state smallint NOT NULL DEFAULT 1
);
CREATE INDEX reminders_due_idx ON notifications.reminders (due_time)
  WHERE state = 1;
