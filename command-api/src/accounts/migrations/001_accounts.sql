-- Credentials and sessions of the command side. Nothing here is an event: erasing an account
-- deletes these rows, and the event store never held an email or a password.

CREATE TABLE accounts (
  user_id       uuid PRIMARY KEY,
  email         text NOT NULL,
  password_hash text NOT NULL,
  display_name  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- Emails are compared case-insensitively; the stored form is already lower-cased.
CREATE UNIQUE INDEX accounts_email ON accounts (email);

-- Rotating refresh tokens. A family is one login; each refresh marks its token used and adds
-- the next one. Presenting a used token again means it leaked: the whole family is revoked.
CREATE TABLE refresh_tokens (
  token_id    uuid PRIMARY KEY,
  family_id   uuid NOT NULL,
  user_id     uuid NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
  secret_hash bytea NOT NULL,
  issued_at   timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Failed logins per account (keyed by a hash of the email, so unknown emails are throttled too
-- without storing them).
CREATE TABLE login_failures (
  email_key     bytea PRIMARY KEY,
  failures      integer NOT NULL,
  window_start  timestamptz NOT NULL,
  locked_until  timestamptz
);

-- The first answer to each Idempotency-Key, per user, kept for 24 hours.
CREATE TABLE idempotency_keys (
  user_id      uuid NOT NULL,
  key          text NOT NULL,
  request_hash bytea NOT NULL,
  status       integer,            -- null while the first request is still running
  headers      jsonb,
  body         text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
