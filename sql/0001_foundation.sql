-- Foundation: reference lists, administrative units with their history, users, sessions,
-- API tokens, login throttling and the append-only audit log.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Khối: government, party, front and mass organisations, armed forces, enterprises.
CREATE TABLE blocks (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name text NOT NULL,
  name_en text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0
);

-- Lĩnh vực: economy, culture and society, ... (extended by an administrator).
CREATE TABLE fields (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name text NOT NULL,
  name_en text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0
);

-- A unit keeps the name and parent it had while valid; a merged unit points to its successor.
CREATE TABLE units (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9._-]{0,39}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 2 AND 200),
  kind text NOT NULL CHECK (kind IN ('province', 'district', 'commune', 'agency', 'organisation')),
  block_code text REFERENCES blocks (code),
  parent_id integer REFERENCES units (id),
  valid_from date,
  valid_to date,
  successor_id integer REFERENCES units (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from),
  CHECK (parent_id IS NULL OR parent_id <> id),
  CHECK (successor_id IS NULL OR successor_id <> id)
);
CREATE INDEX units_parent_id_idx ON units (parent_id);
CREATE INDEX units_successor_id_idx ON units (successor_id);

CREATE TABLE users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
  password_hash text NOT NULL,
  full_name text NOT NULL CHECK (length(full_name) BETWEEN 2 AND 120),
  role text NOT NULL CHECK (role IN ('admin', 'agency', 'secretary', 'member', 'printer')),
  unit_id integer NOT NULL REFERENCES units (id),
  language text NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en')),
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE INDEX users_unit_id_idx ON users (unit_id);

-- express-session store: the session lives in PostgreSQL so any app process can serve any request.
CREATE TABLE sessions (
  sid text PRIMARY KEY,
  user_id integer REFERENCES users (id) ON DELETE CASCADE,
  data jsonb NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

-- Only the SHA-256 of a token is stored: a leaked table gives no usable token.
CREATE TABLE api_tokens (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

-- Failed logins, counted per account and per address over a sliding window.
CREATE TABLE login_failures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL,
  ip text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_username_idx ON login_failures (username, failed_at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, failed_at);

-- Who did what, when, before and after; written in the same transaction as the change it records.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_user_id integer REFERENCES users (id),
  actor_ip text,
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id text,
  before jsonb,
  after jsonb
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

INSERT INTO blocks (code, name, name_en, sort_order) VALUES
  ('chinh_quyen', 'Chính quyền', 'Government', 1),
  ('dang', 'Đảng', 'Party', 2),
  ('mat_tran_doan_the', 'Mặt trận và đoàn thể', 'Front and mass organisations', 3),
  ('luc_luong_vu_trang', 'Lực lượng vũ trang', 'Armed forces', 4),
  ('doanh_nghiep', 'Doanh nghiệp', 'Enterprises', 5);

INSERT INTO fields (code, name, name_en, sort_order) VALUES
  ('kinh_te', 'Kinh tế', 'Economy', 1),
  ('van_hoa_xa_hoi', 'Văn hóa - xã hội', 'Culture and society', 2),
  ('quoc_phong_an_ninh', 'Quốc phòng, an ninh', 'Defence and security', 3),
  ('xay_dung_he_thong_chinh_tri', 'Xây dựng hệ thống chính trị', 'Building the political system', 4),
  ('nong_thon_moi', 'Xây dựng nông thôn mới', 'New rural areas', 5),
  ('do_thi_van_minh', 'Đô thị văn minh', 'Civilised urban areas', 6),
  ('cai_cach_hanh_chinh', 'Cải cách hành chính', 'Administrative reform', 7);
