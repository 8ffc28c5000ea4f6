-- Login throttling that holds under simultaneous attempts (README, Security). An attempt is written
-- into login_failures before its password is checked, under a lock per address and per account, and
-- deleted again when it succeeds: a row is a failed attempt or one still being checked.
COMMENT ON TABLE login_failures IS 'Login attempts that failed or are being checked; a successful attempt deletes the rows of its (username, ip) pair';

-- Addresses an account logged in from successfully: from these, the per-account limit does not apply,
-- so someone guessing from elsewhere cannot lock the owner out.
CREATE TABLE login_known_addresses (
  username text NOT NULL,
  ip text NOT NULL,
  last_success_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (username, ip)
);
