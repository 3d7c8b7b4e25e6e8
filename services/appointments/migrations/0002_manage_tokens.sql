-- The manage links of online bookings: the SHA-256 of each token (never
-- the token), the appointment it opens and when it stops working.
CREATE TABLE appointments.manage_tokens (
  token_hash bytea PRIMARY KEY,
  appointment_id uuid NOT NULL REFERENCES appointments.appointments (id),
  expire_time timestamptz NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX manage_tokens_appointment_idx
  ON appointments.manage_tokens (appointment_id);
