-- The state's code of a unit (Decision 19/2025/QĐ-TTg): two digits for a province or city, five for a
-- commune, ward or special zone (three for a district of the old map). Agencies and organisations have none.
ALTER TABLE units ADD COLUMN official_code text CHECK (
  official_code IS NULL
  OR (kind = 'province' AND official_code ~ '^[0-9]{2}$')
  OR (kind = 'district' AND official_code ~ '^[0-9]{3}$')
  OR (kind = 'commune' AND official_code ~ '^[0-9]{5}$')
);

-- One unit in force per code and kind. Ended units keep theirs: Hà Nội (01) before and after 2025-07-01
-- are two units, and the new An Giang took Kiên Giang's 91.
CREATE UNIQUE INDEX units_official_code_in_force_key ON units (kind, official_code) WHERE official_code IS NOT NULL AND valid_to IS NULL;

-- No index for the unit search (README, "Units of the country"): over the country's 3,400 units a scan
-- that folds every name takes a few milliseconds, while a trigram index on the folded name doubled the
-- time to load them and was not chosen by the planner for the search's OR of name, code and official code.
