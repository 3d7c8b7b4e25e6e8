-- Staff members, their sessions, login failures. Owned by the staff service
-- alone.
CREATE TABLE staff.members (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  given_name text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
  family_name text NOT NULL CHECK (length(family_name) BETWEEN 1 AND 100),
  -- As entered (domain lower-cased); unique case-insensitively.
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  -- clinic.api.v1.StaffRole values, sorted, no duplicates.
  roles smallint[] NOT NULL
    CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY[1, 2, 3]::smallint[]),
  credentials text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(credentials) <= 8),
  home_locations text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(home_locations) <= 20),
  -- 1 active, 2 deactivated (clinic.staff.v1.StaffState).
  state smallint NOT NULL DEFAULT 1 CHECK (state IN (1, 2)),
  -- libsodium's argon2id string ("$argon2id$v=19$m=...,t=...,p=1$...").
  password_hash text NOT NULL,
  password_change_time timestamptz NOT NULL DEFAULT now(),
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  deactivate_time timestamptz,
  -- Bumped by every change of the resource; the etag is derived from it.
  version bigint NOT NULL DEFAULT 1
);

CREATE UNIQUE INDEX members_email_key ON staff.members (lower(email));
-- List order and keyset paging.
CREATE INDEX members_order_idx
  ON staff.members (lower(family_name), lower(given_name), id);

-- Logged-in sessions. Only the SHA-256 of the token is stored.
CREATE TABLE staff.sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  member_id uuid NOT NULL REFERENCES staff.members (id),
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  create_time timestamptz NOT NULL,
  last_seen_time timestamptz NOT NULL,
  -- The absolute timeout: the session ends then whatever happens.
  expire_time timestamptz NOT NULL,
  client_address text NOT NULL DEFAULT '' CHECK (length(client_address) <= 64),
  user_agent text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 200),
  end_time timestamptz,
  -- logout, revoked, idle, expired, password_changed, password_reset,
  -- deactivated, account_changed.
  ended_reason text,
  CHECK ((end_time IS NULL) = (ended_reason IS NULL))
);

CREATE INDEX sessions_member_active_idx
  ON staff.sessions (member_id, create_time DESC) WHERE end_time IS NULL;

-- Failed (or not yet decided) login attempts, for throttling: key is
-- 'email:<lower-case email>' or 'addr:<client address>'.
CREATE TABLE staff.login_failures (
  id bigserial PRIMARY KEY,
  key text NOT NULL CHECK (length(key) <= 300),
  time timestamptz NOT NULL
);

CREATE INDEX login_failures_key_time_idx ON staff.login_failures (key, time);

-- Retryable creations (CreateStaffMember) by request_id: a retry returns the
-- first answer; a reuse with another body is refused.
CREATE TABLE staff.requests (
  method text NOT NULL,
  request_id text NOT NULL CHECK (length(request_id) BETWEEN 1 AND 64),
  fingerprint bytea NOT NULL,
  member_id uuid NOT NULL REFERENCES staff.members (id),
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (method, request_id)
);
