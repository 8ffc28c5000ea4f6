-- The year-end summary at registry scale (1,000,000 models; README, Benchmarks, Reports).

-- The summary's grouped query reads a year pair's models, of every unit or of a subtree, from the
-- index alone: no visit to the 1 GB table. (unit_id, year, status) still serves the trend by year.
CREATE INDEX models_year_unit_report_idx ON models (year, unit_id)
  INCLUDE (field_code, block_code, kind, status, replicates_model_id);
