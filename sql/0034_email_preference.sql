-- A user may turn the e-mails of their notifications off (the bell keeps them): their own choice on
-- /account, kept beside the address the administrator or they themselves set.
ALTER TABLE users ADD COLUMN email_notifications boolean NOT NULL DEFAULT true;
