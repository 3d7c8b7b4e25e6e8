-- Waitlist offers (AppointmentService.ListWaitlistOffers): a cancelled
-- appointment's time, while still ahead, is offered to the waitlist one
-- entry at a time, each offer holding the time for its patient.

ALTER TABLE appointments.appointments DROP CONSTRAINT appointments_source_check;
ALTER TABLE appointments.appointments
  ADD CONSTRAINT appointments_source_check CHECK (source BETWEEN 0 AND 4);

-- A time freed by a cancellation, written in the cancelling transaction (so
-- no freed time is forgotten whatever restarts), offered until it is taken,
-- no entry is left or it is too near (then `open` is false).
CREATE TABLE appointments.freed_slots (
  appointment_id uuid PRIMARY KEY REFERENCES appointments.appointments (id),
  patient text NOT NULL,
  therapist text NOT NULL,
  location_id uuid NOT NULL REFERENCES appointments.locations (id),
  type_id uuid NOT NULL REFERENCES appointments.appointment_types (id),
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  buffered_range tstzrange NOT NULL,
  open boolean NOT NULL DEFAULT true,
  create_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX freed_slots_open_idx
  ON appointments.freed_slots (create_time) WHERE open;

-- Every offer and its outcome. At most one live (state 1) offer per freed
-- time; an entry is offered a freed time once.
CREATE TABLE appointments.waitlist_offers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  freed_by uuid NOT NULL REFERENCES appointments.freed_slots (appointment_id),
  -- No reference: the entry is removed when the offer is taken.
  entry_id uuid NOT NULL,
  patient text NOT NULL,
  -- The hold that keeps the time for the patient (gone once used or
  -- lapsed).
  hold_id uuid,
  -- WaitlistOffer.State: 1 offered, 2 accepted, 3 lapsed.
  state smallint NOT NULL DEFAULT 1 CHECK (state BETWEEN 1 AND 3),
  create_time timestamptz NOT NULL DEFAULT now(),
  expire_time timestamptz NOT NULL,
  outcome_time timestamptz,
  appointment_id uuid,
  -- SHA-256 of the link's token (derived from the id by the service's key).
  token_hash bytea NOT NULL UNIQUE,
  UNIQUE (freed_by, entry_id)
);
CREATE UNIQUE INDEX waitlist_offers_one_live_idx
  ON appointments.waitlist_offers (freed_by) WHERE state = 1;
CREATE INDEX waitlist_offers_entry_idx
  ON appointments.waitlist_offers (entry_id);
CREATE INDEX waitlist_offers_patient_idx
  ON appointments.waitlist_offers (patient, create_time DESC);

-- An outbox event about an offer carries it (serialized WaitlistOffer).
ALTER TABLE appointments.events ADD COLUMN offer bytea;
