-- A model's block comes from its unit or the nearest unit above it that has one; when none has,
-- the model has none (it was refused before, on a field the API does not even have).
ALTER TABLE models ALTER COLUMN block_code DROP NOT NULL;

-- What a model certificate certified, kept as it was when the certificate was made: verification
-- shows this, not the model's current text. (Recognised models are also frozen since this change;
-- a certificate made before it is filled with the model as it stands now, the best still known.)
ALTER TABLE model_certificates
  ADD COLUMN certified_title text,
  ADD COLUMN certified_code text,
  ADD COLUMN certified_unit_name text,
  ADD COLUMN certified_year integer,
  ADD COLUMN certified_field_name text;

UPDATE model_certificates AS c
SET certified_title = m.title,
    certified_code = m.code,
    certified_unit_name = u.name,
    certified_year = m.year,
    certified_field_name = f.name
FROM models AS m
JOIN units AS u ON u.id = m.unit_id
JOIN fields AS f ON f.code = m.field_code
WHERE m.id = c.model_id;

ALTER TABLE model_certificates
  ALTER COLUMN certified_title SET NOT NULL,
  ALTER COLUMN certified_code SET NOT NULL,
  ALTER COLUMN certified_unit_name SET NOT NULL,
  ALTER COLUMN certified_year SET NOT NULL,
  ALTER COLUMN certified_field_name SET NOT NULL;
