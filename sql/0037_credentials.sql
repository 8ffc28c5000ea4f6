-- Digital credentials (issue 20): every certificate can be downloaded as a W3C Verifiable Credential
-- signed by the installation's Ed25519 key (did:web of PUBLIC_URL), and revoked through a public
-- Bitstring Status List.

-- The signing keys. Made once, at the first credential; a rotation retires the current key and makes
-- a new one, and retired keys stay published in did.json so credentials they signed still verify.
-- The private key (PKCS#8 DER) is read only by the signing code: no route, log or audit row shows it.
CREATE TABLE credential_keys (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key_id text NOT NULL UNIQUE CHECK (key_id ~ '^[A-Za-z0-9_-]{43}$'), -- the key's JWK thumbprint (RFC 7638)
  public_jwk jsonb NOT NULL,
  private_pkcs8 bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);
-- At most one key signs at a time: two processes making the first key at once make one.
CREATE UNIQUE INDEX credential_keys_one_current ON credential_keys ((true)) WHERE retired_at IS NULL;

-- A status list: a bitstring of `size` bits (131.072, the specification's minimum for herd privacy),
-- bit i set when the credential holding index i is revoked. Indexes are handed out at random, up
-- to half the list, so a credential's index tells nothing about when it was issued.
CREATE TABLE credential_status_lists (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  size integer NOT NULL DEFAULT 131072 CHECK (size >= 131072 AND size % 8 = 0),
  assigned integer NOT NULL DEFAULT 0 CHECK (assigned >= 0),
  bits bytea NOT NULL DEFAULT decode(repeat('00', 16384), 'hex'),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (length(bits) * 8 = size)
);

-- Which index a certificate's credential holds, by the certificate's verification code (an award's
-- or a model's certificate: the codes are unique across both).
CREATE TABLE credential_status_entries (
  verification_code text PRIMARY KEY,
  list_id integer NOT NULL REFERENCES credential_status_lists (id),
  list_index integer NOT NULL CHECK (list_index >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (list_id, list_index)
);
