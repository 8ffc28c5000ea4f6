-- Units scored by the same sets (issue 21): a set scores either its year's models or the units under
-- its body (a commune's "Chính quyền thân thiện" standard, reviewed by the province). A unit's own
-- assessment (tự đánh giá) is kept beside the committee's scores and never counted in its result.
ALTER TABLE criteria_sets
  ADD COLUMN subject text NOT NULL DEFAULT 'models' CHECK (subject IN ('models', 'units')),
  -- Empty: every kind of unit under the body.
  ADD COLUMN unit_kinds text[] NOT NULL DEFAULT '{}';

ALTER TABLE evaluations
  ALTER COLUMN model_id DROP NOT NULL,
  ADD COLUMN unit_id integer REFERENCES units (id),
  ADD COLUMN self_assessment boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT evaluations_one_subject CHECK (num_nonnulls(model_id, unit_id) = 1),
  ADD CONSTRAINT evaluations_self_of_a_unit CHECK (NOT self_assessment OR unit_id IS NOT NULL),
  ADD CONSTRAINT evaluations_set_id_unit_id_evaluator_id_key UNIQUE (set_id, unit_id, evaluator_id);
-- One self-assessment per unit, whichever of its staff writes it.
CREATE UNIQUE INDEX evaluations_one_self_assessment ON evaluations (set_id, unit_id) WHERE self_assessment;

ALTER TABLE evaluation_recusals
  DROP CONSTRAINT evaluation_recusals_pkey,
  ALTER COLUMN model_id DROP NOT NULL,
  ADD COLUMN unit_id integer REFERENCES units (id),
  ADD CONSTRAINT evaluation_recusals_one_subject CHECK (num_nonnulls(model_id, unit_id) = 1),
  ADD CONSTRAINT evaluation_recusals_set_id_model_id_evaluator_id_key UNIQUE (set_id, model_id, evaluator_id),
  ADD CONSTRAINT evaluation_recusals_set_id_unit_id_evaluator_id_key UNIQUE (set_id, unit_id, evaluator_id);
