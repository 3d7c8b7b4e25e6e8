-- Plans of care. The plan's content (clinical fields) is kept as the
-- serialized clinic.therapy_plans.v1.TherapyPlan; the columns are what
-- queries select on.
CREATE TABLE therapy_plans.plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient text NOT NULL,
  therapist text NOT NULL,
  -- PlanState: 1 draft, 2 active, 3 on hold, 4 completed, 5 discontinued.
  state smallint NOT NULL DEFAULT 1 CHECK (state BETWEEN 1 AND 5),
  start_date date NOT NULL,
  body bytea NOT NULL,
  version integer NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL DEFAULT now(),
  update_time timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);

CREATE INDEX plans_patient_idx ON therapy_plans.plans (patient, create_time DESC);
-- The caseload: a therapist's active and on-hold plans.
CREATE INDEX plans_caseload_idx ON therapy_plans.plans (therapist)
  WHERE state IN (2, 3);

-- Every earlier version of a plan, as it was (append-only).
CREATE TABLE therapy_plans.plan_versions (
  plan_id uuid NOT NULL REFERENCES therapy_plans.plans (id),
  version integer NOT NULL,
  body bytea NOT NULL,
  state smallint NOT NULL,
  staff text NOT NULL,
  time timestamptz NOT NULL,
  PRIMARY KEY (plan_id, version)
);

-- Retried changes by request_id (services/common/db/idempotency.h).
CREATE TABLE therapy_plans.requests (
  method text NOT NULL,
  request_id text NOT NULL CHECK (length(request_id) BETWEEN 1 AND 64),
  fingerprint bytea NOT NULL,
  result text NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (method, request_id)
);
