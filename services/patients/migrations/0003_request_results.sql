-- One request_id protocol for every service (services/common/db/
-- idempotency.h): the answer to a retried request is kept as text in
-- `result`, here "patients/{id} {created 0|1} {matched_on}".
ALTER TABLE patients.requests ADD COLUMN result text;
UPDATE patients.requests
   SET result = concat_ws(' ', 'patients/' || patient_id, created::int, matched_on);
ALTER TABLE patients.requests ALTER COLUMN result SET NOT NULL;
ALTER TABLE patients.requests DROP COLUMN patient_id,
                              DROP COLUMN created,
                              DROP COLUMN matched_on;
