-- Search as people type: names without regard to accents or case
-- ("fernandez" finds Fernández), and the last digits of a phone number.
-- unaccent is a trusted extension; it lives in this service's schema.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA patients;

-- Lower case without accents. unaccent() is STABLE (its dictionary could
-- change); naming the dictionary makes this wrapper safe to index.
CREATE FUNCTION patients.fold(text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT lower(patients.unaccent('patients.unaccent'::regdictionary, $1)) $$;

DROP INDEX patients.patients_family_prefix_idx;
DROP INDEX patients.patients_given_prefix_idx;
DROP INDEX patients.patients_preferred_prefix_idx;
DROP INDEX patients.patients_full_name_prefix_idx;
CREATE INDEX patients_family_prefix_idx
  ON patients.patients (patients.fold(family_name) text_pattern_ops);
CREATE INDEX patients_given_prefix_idx
  ON patients.patients (patients.fold(given_name) text_pattern_ops);
CREATE INDEX patients_preferred_prefix_idx
  ON patients.patients (patients.fold(preferred_name) text_pattern_ops)
  WHERE preferred_name <> '';
CREATE INDEX patients_full_name_prefix_idx
  ON patients.patients
  (patients.fold(given_name || ' ' || family_name) text_pattern_ops);
-- The last digits of a phone: a prefix of the reversed number.
CREATE INDEX patients_phone_suffix_idx
  ON patients.patients (reverse(phone) text_pattern_ops) WHERE phone <> '';
