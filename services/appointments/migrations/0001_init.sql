-- Scheduling: locations, appointment types, therapists' schedules, holds,
-- appointments, the waitlist. Owned by the appointments service alone.
--
-- No double booking, and what guarantees it:
--
-- 1. Appointments vs appointments: the two EXCLUDE constraints on
--    appointments.appointments below. For every active appointment (states
--    1 booked, 2 confirmed, 3 checked in) no two rows of one therapist have
--    overlapping buffered ranges, and no two rows of one patient have
--    overlapping [start, end). PostgreSQL enforces this whatever the
--    isolation level or the number of racing transactions (a racing insert
--    waits for the other to commit, then fails with 23P01). Cancelling sets
--    state 6, which takes the row out of the constraint at once.
--
-- 2. Holds vs appointments and holds vs holds: a hold cannot live in the
--    same constraint because it stops counting at expire_time, and an
--    exclusion constraint's predicate cannot depend on now(). So every
--    transaction that claims time of a therapist (HoldSlot, BookAppointment,
--    RescheduleAppointment) first takes the transaction-scoped advisory lock
--    of that therapist (pg_advisory_xact_lock on 'appointments.therapist:' ||
--    therapist), then checks live holds (expire_time > now, not the hold the
--    booking uses) and active appointments, then inserts. Claims of one
--    therapist are therefore serialized: at READ COMMITTED each statement
--    after the lock sees every claim committed before the lock was granted,
--    and the lock is released only at commit. Freeing time (cancel, expiry)
--    needs no lock. Booking with a hold deletes the hold in the same
--    transaction. The exclusion constraints stay the last line of defense
--    for appointments even if a code path forgot the lock.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Instants cross the wire as microseconds since the Unix epoch.
CREATE FUNCTION appointments.from_micros(bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT 'epoch'::timestamptz + $1 * interval '1 microsecond' $$;
CREATE FUNCTION appointments.micros(timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT (extract(epoch FROM $1) * 1000000)::bigint $$;

CREATE TABLE appointments.locations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  time_zone text NOT NULL,
  slot_minutes integer NOT NULL CHECK (slot_minutes IN (5, 10, 15, 20, 30, 60)),
  -- The contract's JSON of the Location (address, phone, opening hours,
  -- closures: local wall-clock rules the service reads whole). The columns
  -- above are copies the database itself needs.
  body jsonb NOT NULL DEFAULT '{}',
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT 1
);
CREATE INDEX locations_order_idx
  ON appointments.locations (lower(display_name), id);

CREATE TABLE appointments.appointment_types (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  -- The contract's JSON of the AppointmentType (duration, buffers,
  -- allowed credentials, online booking rules, color).
  body jsonb NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT 1
);
CREATE INDEX appointment_types_order_idx
  ON appointments.appointment_types (lower(display_name), id);

-- One row per therapist who has a schedule ("staff/{member}").
CREATE TABLE appointments.provider_schedules (
  therapist text PRIMARY KEY,
  -- The contract's JSON of weekly_hours, breaks and exceptions.
  body jsonb NOT NULL DEFAULT '{}',
  -- Locations the weekly hours or extra hours mention: who works where.
  location_ids uuid[] NOT NULL DEFAULT '{}',
  -- The therapist's credentials (a JSON array, e.g. ["PT","DPT"]) when
  -- known; NULL: unknown, and then appointment types' allowed_credentials
  -- are not checked for this therapist.
  credentials jsonb,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT 1
);
CREATE INDEX provider_schedules_locations_idx
  ON appointments.provider_schedules USING gin (location_ids);

-- Short reservations of a slot (see the header comment: they block under
-- the therapist's advisory lock, until expire_time).
CREATE TABLE appointments.holds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  therapist text NOT NULL,
  location_id uuid NOT NULL REFERENCES appointments.locations (id),
  type_id uuid NOT NULL REFERENCES appointments.appointment_types (id),
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  -- [start - buffer_before, end + buffer_after)
  buffered_range tstzrange NOT NULL,
  expire_time timestamptz NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  CHECK (start_time < end_time)
);
CREATE INDEX holds_therapist_idx
  ON appointments.holds USING gist (therapist, buffered_range);
CREATE INDEX holds_expire_idx ON appointments.holds (expire_time);

CREATE TABLE appointments.appointments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient text NOT NULL,
  therapist text NOT NULL,
  location_id uuid NOT NULL REFERENCES appointments.locations (id),
  type_id uuid NOT NULL REFERENCES appointments.appointment_types (id),
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  -- [start - buffer_before, end + buffer_after) of the type when booked.
  buffered_range tstzrange NOT NULL,
  -- clinic.appointments.v1.AppointmentState: 1 booked, 2 confirmed,
  -- 3 checked in (these three hold the slot), 4 completed, 5 no show,
  -- 6 cancelled.
  state smallint NOT NULL DEFAULT 1 CHECK (state BETWEEN 1 AND 6),
  source smallint NOT NULL DEFAULT 0 CHECK (source BETWEEN 0 AND 3),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 8000),
  creator text NOT NULL,
  cancel_reason text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT 1,
  CHECK (start_time < end_time),
  CHECK (buffered_range @> tstzrange(start_time, end_time)),
  CONSTRAINT appointments_therapist_no_overlap
    EXCLUDE USING gist (therapist WITH =, buffered_range WITH &&)
    WHERE (state IN (1, 2, 3)),
  CONSTRAINT appointments_patient_no_overlap
    EXCLUDE USING gist (patient WITH =, tstzrange(start_time, end_time) WITH &&)
    WHERE (state IN (1, 2, 3))
);
-- ListAppointments: by location and time, by therapist, by patient.
CREATE INDEX appointments_location_time_idx
  ON appointments.appointments (location_id, start_time, id);
CREATE INDEX appointments_therapist_time_idx
  ON appointments.appointments (therapist, start_time, id);
CREATE INDEX appointments_patient_time_idx
  ON appointments.appointments (patient, start_time, id);

CREATE TABLE appointments.waitlist_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient text NOT NULL,
  location_id uuid NOT NULL REFERENCES appointments.locations (id),
  type_id uuid NOT NULL REFERENCES appointments.appointment_types (id),
  -- '' for any therapist.
  therapist text NOT NULL DEFAULT '',
  -- clinic.appointments.v1.TimeOfDayPreference.
  time_of_day smallint NOT NULL DEFAULT 0 CHECK (time_of_day BETWEEN 0 AND 3),
  latest_date date NOT NULL,
  priority integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 100),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
  create_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX waitlist_entries_order_idx
  ON appointments.waitlist_entries
  (location_id, type_id, priority DESC, create_time, id);

-- Retryable creations by request_id: a retry returns the first answer (the
-- resource it named); a reuse with another body is refused.
CREATE TABLE appointments.requests (
  method text NOT NULL,
  request_id text NOT NULL CHECK (length(request_id) BETWEEN 1 AND 64),
  -- sha256 of the request's deterministic serialization.
  fingerprint bytea NOT NULL,
  -- The resource created or changed, e.g. "appointments/{uuid}".
  result text NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (method, request_id)
);
