-- Free screenings performed with a protocol. The answers are kept as the
-- serialized clinic.screenings.v1.Screening with only its answers set.
CREATE TABLE screenings.screenings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient text NOT NULL,
  appointment text NOT NULL DEFAULT '',
  protocol text NOT NULL,
  protocol_version integer NOT NULL,
  therapist text NOT NULL,
  answers bytea NOT NULL DEFAULT '',
  findings text NOT NULL DEFAULT '',
  notes text NOT NULL DEFAULT '',
  -- ScreeningOutcome; 0 until completed.
  outcome smallint NOT NULL DEFAULT 0,
  -- ScreeningState: 1 in progress, 2 completed.
  state smallint NOT NULL DEFAULT 1 CHECK (state IN (1, 2)),
  create_time timestamptz NOT NULL DEFAULT now(),
  complete_time timestamptz,
  version bigint NOT NULL DEFAULT 1,
  CHECK ((state = 2) = (outcome <> 0 AND complete_time IS NOT NULL))
);

CREATE INDEX screenings_patient_idx
  ON screenings.screenings (patient, create_time DESC);

CREATE TABLE screenings.screening_addenda (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  screening_id uuid NOT NULL REFERENCES screenings.screenings (id),
  time timestamptz NOT NULL DEFAULT now(),
  staff text NOT NULL,
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000)
);
