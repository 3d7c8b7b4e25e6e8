-- One request_id protocol for every service (services/common/db/
-- idempotency.h): the answer to a retried request is kept as text in
-- `result`, here the member's name "staff/{id}".
ALTER TABLE staff.requests ADD COLUMN result text;
UPDATE staff.requests SET result = 'staff/' || member_id;
ALTER TABLE staff.requests ALTER COLUMN result SET NOT NULL;
ALTER TABLE staff.requests DROP COLUMN member_id;
