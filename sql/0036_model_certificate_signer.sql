-- Who signs a body's model certificates (chứng nhận mô hình "Dân vận khéo"): the title, as lines like a
-- decision's signer ("TM. ỦY BAN NHÂN DÂN - CHỦ TỊCH"), and the name printed under the signature; kept
-- with the body's other document settings (sql/0024). An empty title takes the default of the body's kind.
ALTER TABLE document_settings
  ADD COLUMN model_signer_title text NOT NULL DEFAULT '' CHECK (length(model_signer_title) <= 200),
  ADD COLUMN model_signer_name text NOT NULL DEFAULT '' CHECK (length(model_signer_name) <= 100);
