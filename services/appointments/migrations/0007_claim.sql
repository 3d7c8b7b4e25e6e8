-- What a booking, a hold or a move checks before it writes, in one round
-- trip instead of four (pg_booking_store.cc, ClaimTime and Book):
--
-- 1. With a request_id: the request log's lock (the key of
--    services/common/db/idempotency.cc) and its answer, as kind 0: id is
--    the resource the first request made, start_micros 1 when this request
--    is the same as that one (its fingerprint), else 0. Nothing more then.
-- 2. With a therapist: the therapist's and then the patient's lock, and
--    the first thing in the way of the buffered time, as kind 1 a live hold
--    (other than p_own_hold), 2 an active appointment of the therapist
--    (other than p_self), 3 an active appointment of the patient in
--    [p_start, p_end) (other than p_self), with its id, start and end (a
--    hold's expiry; an appointment's buffered end; the patient's
--    appointment's end). No row: the time is free.
--
-- Each statement of a volatile PL/pgSQL function takes its own snapshot,
-- so the checks see everything committed before their locks were granted,
-- as when they were separate statements.
CREATE FUNCTION appointments.claim(
  p_method text, p_request_id text, p_request_hex text,
  p_therapist text, p_patient text,
  p_buffered_from bigint, p_buffered_to bigint, p_now bigint,
  p_own_hold text, p_self text, p_start bigint, p_end bigint)
RETURNS TABLE (kind int, id text, start_micros bigint, end_micros bigint)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
BEGIN
  IF p_request_id <> '' THEN
    PERFORM pg_advisory_xact_lock(hashtext(
      'appointments.request:' || p_method || ':' || p_request_id));
    RETURN QUERY
      SELECT 0, r.result,
             CASE WHEN r.fingerprint = sha256(decode(p_request_hex, 'hex'))
                  THEN 1::bigint ELSE 0::bigint END,
             0::bigint
      FROM appointments.requests r
      WHERE r.method = p_method AND r.request_id = p_request_id;
    IF FOUND THEN
      RETURN;
    END IF;
  END IF;
  IF p_therapist = '' THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(
    hashtext('appointments.therapist:' || p_therapist));
  IF p_patient <> '' THEN
    PERFORM pg_advisory_xact_lock(
      hashtext('appointments.patient:' || p_patient));
  END IF;
  RETURN QUERY
    SELECT c.kind, c.id, c.start_micros, c.end_micros FROM (
      (SELECT 1 AS kind, h.id::text AS id,
              (extract(epoch FROM h.start_time) * 1000000)::bigint
                AS start_micros,
              (extract(epoch FROM h.expire_time) * 1000000)::bigint
                AS end_micros
       FROM appointments.holds h
       WHERE h.therapist = p_therapist
         AND h.buffered_range && tstzrange(
           appointments.from_micros(p_buffered_from),
           appointments.from_micros(p_buffered_to))
         AND h.expire_time > appointments.from_micros(p_now)
         AND h.id::text <> p_own_hold
       ORDER BY h.start_time LIMIT 1)
      UNION ALL
      (SELECT 2, a.id::text,
              (extract(epoch FROM a.start_time) * 1000000)::bigint,
              (extract(epoch FROM upper(a.buffered_range)) * 1000000)::bigint
       FROM appointments.appointments a
       WHERE a.therapist = p_therapist AND a.state IN (1, 2, 3)
         AND a.buffered_range && tstzrange(
           appointments.from_micros(p_buffered_from),
           appointments.from_micros(p_buffered_to))
         AND a.id::text <> p_self
       ORDER BY a.start_time LIMIT 1)
      UNION ALL
      (SELECT 3, a.id::text,
              (extract(epoch FROM a.start_time) * 1000000)::bigint,
              (extract(epoch FROM a.end_time) * 1000000)::bigint
       FROM appointments.appointments a
       WHERE p_patient <> '' AND a.patient = p_patient
         AND a.state IN (1, 2, 3)
         AND tstzrange(a.start_time, a.end_time) && tstzrange(
           appointments.from_micros(p_start), appointments.from_micros(p_end))
         AND a.id::text <> p_self
       ORDER BY a.start_time LIMIT 1)
    ) c
    ORDER BY c.kind LIMIT 1;
END
$$;
