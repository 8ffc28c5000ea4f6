-- Notifications (issue 18): what happened to a user's dossiers, rounds and print jobs, written in the
-- same transaction as the event itself. Each row stores a kind and its parameters (names, numbers,
-- reasons), rendered in the reader's language when shown, and the page it links to. The row is also
-- the e-mail outbox: a dispatcher sends the pending ones after the commit, with retries, and marks them.
ALTER TABLE users ADD COLUMN email text CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254);

CREATE TABLE notifications (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('nomination_returned', 'nomination_approved', 'nomination_rejected', 'nominations_forwarded', 'decision_issued', 'print_job_done')),
  params jsonb NOT NULL,
  href text NOT NULL CHECK (href ~ '^/[a-z]'), -- a page of this app, never another host (//host)
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  -- The e-mail: none (no address, or not to be sent), pending (due at email_next_attempt_at), sent, failed (gave up).
  email_status text NOT NULL CHECK (email_status IN ('none', 'pending', 'sent', 'failed')),
  email_attempts integer NOT NULL DEFAULT 0 CHECK (email_attempts >= 0),
  email_next_attempt_at timestamptz,
  email_sent_at timestamptz,
  email_last_error text,
  CHECK (email_status <> 'pending' OR email_next_attempt_at IS NOT NULL)
);
-- A user's list, newest first, and the bell's count of unread ones (one small index scan per page).
CREATE INDEX notifications_user_id_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
-- The dispatcher's queue: only the e-mails still to send.
CREATE INDEX notifications_email_due_idx ON notifications (email_next_attempt_at, id) WHERE email_status = 'pending';
