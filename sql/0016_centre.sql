-- The centre: the national body above the provinces, which receives their proposals (Ban Dân vận
-- Trung ương, an agency of the party block). Every province in force hangs under it, so "above" (the
-- parent chain) leads from a province to the centre, and the centre's scope is the whole country; the
-- provinces before 2025-07-01 stay reachable through their successors. One unit is the centre
-- (`is_centre`, at most one row); its code is TW unless a unit already holds that code.
ALTER TABLE units ADD COLUMN is_centre boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX units_one_centre_key ON units (is_centre) WHERE is_centre;

INSERT INTO units (code, name, kind, block_code, is_centre)
SELECT CASE WHEN EXISTS (SELECT 1 FROM units WHERE code = 'TW') THEN 'VN-TW' ELSE 'TW' END,
       'Ban Dân vận Trung ương', 'agency', 'dang', true;

-- An existing registry: its provinces in force (loaded from the reference data, the demo's, or an
-- administrator's) go under the centre, and the audit log says which.
WITH placed AS (
  UPDATE units
  SET parent_id = (SELECT id FROM units WHERE is_centre), updated_at = now()
  WHERE kind = 'province' AND parent_id IS NULL AND valid_to IS NULL AND NOT is_centre
  RETURNING id
)
INSERT INTO audit_log (action, entity_type, entity_id, after)
SELECT 'units.centre_create', 'unit', centre.id::text,
       jsonb_build_object('code', centre.code, 'name', centre.name, 'placedProvinceIds', COALESCE((SELECT jsonb_agg(id ORDER BY id) FROM placed), '[]'::jsonb))
FROM units AS centre
WHERE centre.is_centre;
