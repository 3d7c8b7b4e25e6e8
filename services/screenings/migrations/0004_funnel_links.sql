-- The links between the funnel's steps: the patient a contact request led
-- to, the request a screening came from, and the initial evaluation the
-- screening converted into (an appointment of the appointments service, by
-- name).
ALTER TABLE screenings.contact_requests
  ADD COLUMN patient text NOT NULL DEFAULT '';

ALTER TABLE screenings.screenings
  ADD COLUMN contact_request_id uuid REFERENCES screenings.contact_requests (id),
  ADD COLUMN evaluation_appointment text NOT NULL DEFAULT '',
  -- Only a completed screening converts.
  ADD CHECK (evaluation_appointment = '' OR state = 2);

CREATE INDEX screenings_contact_request_idx
  ON screenings.screenings (contact_request_id)
  WHERE contact_request_id IS NOT NULL;

-- Finding the open request a patient's screening came from.
CREATE INDEX contact_requests_patient_idx
  ON screenings.contact_requests (patient) WHERE patient <> '';
CREATE INDEX contact_requests_link_phone_idx
  ON screenings.contact_requests (phone) WHERE phone <> '' AND state IN (1, 2, 3);
CREATE INDEX contact_requests_link_email_idx
  ON screenings.contact_requests (lower(email))
  WHERE email <> '' AND state IN (1, 2, 3);
