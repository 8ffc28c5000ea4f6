-- A recognised model's certificate ("Chứng nhận mô hình Dân vận khéo"): made once, when first
-- printed, with its own verification code, so the QR code on it can be checked like a Bằng khen's.
CREATE TABLE model_certificates (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  model_id integer NOT NULL UNIQUE REFERENCES models (id),
  issuing_unit_id integer NOT NULL REFERENCES units (id),
  recognized_on date NOT NULL,
  verification_code text NOT NULL UNIQUE CHECK (length(verification_code) >= 22),
  status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
  created_by integer REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
