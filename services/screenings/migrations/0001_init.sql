-- Contact requests and the attempts to reach the people behind them.
CREATE TABLE screenings.contact_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  given_name text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
  family_name text NOT NULL DEFAULT '',
  phone text NOT NULL DEFAULT '',
  email text NOT NULL DEFAULT '',
  preferred_channel smallint NOT NULL DEFAULT 0,
  preferred_times text NOT NULL DEFAULT '',
  location text NOT NULL DEFAULT '',
  concern text NOT NULL DEFAULT '',
  body_area smallint NOT NULL DEFAULT 0,
  consent_to_contact boolean NOT NULL DEFAULT false,
  source smallint NOT NULL DEFAULT 0,
  campaign text NOT NULL DEFAULT '',
  -- ContactRequestState: 1 new, 2 contacted, 3 screening booked,
  -- 4 converted, 5 not interested, 6 unreachable.
  state smallint NOT NULL DEFAULT 1 CHECK (state BETWEEN 1 AND 6),
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT 1,
  CHECK (phone <> '' OR email <> '')
);

-- The queue: open requests, oldest first.
CREATE INDEX contact_requests_queue_idx
  ON screenings.contact_requests (state, create_time, id);
-- The per-person limit on open requests from the public form.
CREATE INDEX contact_requests_phone_idx
  ON screenings.contact_requests (phone) WHERE phone <> '' AND state IN (1, 2);
CREATE INDEX contact_requests_email_idx
  ON screenings.contact_requests (lower(email)) WHERE email <> '' AND state IN (1, 2);

CREATE TABLE screenings.contact_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  contact_request_id uuid NOT NULL REFERENCES screenings.contact_requests (id),
  time timestamptz NOT NULL DEFAULT now(),
  staff text NOT NULL,
  outcome smallint NOT NULL CHECK (outcome BETWEEN 1 AND 4),
  note text NOT NULL DEFAULT ''
);

CREATE INDEX contact_attempts_request_idx
  ON screenings.contact_attempts (contact_request_id, id);

-- Retried changes by request_id (services/common/db/idempotency.h).
CREATE TABLE screenings.requests (
  method text NOT NULL,
  request_id text NOT NULL CHECK (length(request_id) BETWEEN 1 AND 64),
  fingerprint bytea NOT NULL,
  result text NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (method, request_id)
);
