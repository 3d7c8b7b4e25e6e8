-- Patients: one row per person. Owned by the patients service alone.
CREATE TABLE patients.patients (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  given_name text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
  family_name text NOT NULL CHECK (length(family_name) BETWEEN 1 AND 100),
  preferred_name text NOT NULL DEFAULT '' CHECK (length(preferred_name) <= 100),
  birth_date date NOT NULL CHECK (birth_date >= DATE '1900-01-01'),
  sex_at_birth smallint NOT NULL DEFAULT 0,
  -- E.164 when it could be parsed; '' when none.
  phone text NOT NULL DEFAULT '' CHECK (length(phone) <= 32),
  email text NOT NULL DEFAULT '' CHECK (length(email) <= 254),
  address_line1 text NOT NULL DEFAULT '',
  address_line2 text NOT NULL DEFAULT '',
  address_city text NOT NULL DEFAULT '',
  address_region text NOT NULL DEFAULT '',
  address_postal_code text NOT NULL DEFAULT '',
  address_country_code text NOT NULL DEFAULT '',
  has_address boolean NOT NULL DEFAULT false,
  preferred_contact_method smallint NOT NULL DEFAULT 0,
  emergency_name text NOT NULL DEFAULT '',
  emergency_relationship text NOT NULL DEFAULT '',
  emergency_phone text NOT NULL DEFAULT '',
  has_emergency_contact boolean NOT NULL DEFAULT false,
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 4000),
  -- 1 active, 2 archived (clinic.patients.v1.PatientState).
  state smallint NOT NULL DEFAULT 1 CHECK (state IN (1, 2)),
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  archive_time timestamptz,
  -- Bumped by every change; the etag is derived from it.
  version bigint NOT NULL DEFAULT 1
);

-- List order and keyset paging.
CREATE INDEX patients_order_idx
  ON patients.patients (lower(family_name), lower(given_name), id);
-- Case-insensitive name prefix search (text_pattern_ops serves LIKE 'x%').
CREATE INDEX patients_family_prefix_idx
  ON patients.patients (lower(family_name) text_pattern_ops);
CREATE INDEX patients_given_prefix_idx
  ON patients.patients (lower(given_name) text_pattern_ops);
CREATE INDEX patients_preferred_prefix_idx
  ON patients.patients (lower(preferred_name) text_pattern_ops)
  WHERE preferred_name <> '';
CREATE INDEX patients_full_name_prefix_idx
  ON patients.patients (lower(given_name || ' ' || family_name) text_pattern_ops);
CREATE INDEX patients_email_idx
  ON patients.patients (lower(email)) WHERE email <> '';
CREATE INDEX patients_phone_idx
  ON patients.patients (phone) WHERE phone <> '';
CREATE INDEX patients_birth_date_idx
  ON patients.patients (birth_date);

-- Retryable creations (CreatePatient, FindOrCreatePatient) by request_id:
-- a retry returns the first answer; a reuse with another body is refused.
CREATE TABLE patients.requests (
  method text NOT NULL,
  request_id text NOT NULL CHECK (length(request_id) BETWEEN 1 AND 64),
  fingerprint bytea NOT NULL,
  patient_id uuid NOT NULL REFERENCES patients.patients (id),
  created boolean NOT NULL,
  matched_on smallint NOT NULL DEFAULT 0,
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (method, request_id)
);
