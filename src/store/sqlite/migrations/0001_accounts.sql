-- Accounts and sign-ins. Times are Unix milliseconds (INTEGER).
CREATE TABLE users (
  id              TEXT PRIMARY KEY,
  email           TEXT UNIQUE,               -- trimmed, lower case; NULL for OIDC-only accounts
  name            TEXT NOT NULL,
  status_message  TEXT NOT NULL DEFAULT '',
  avatar_image_id TEXT,
  password_hash   TEXT NOT NULL DEFAULT '',  -- Argon2id string; '' when there is no password
  created_at      INTEGER NOT NULL
) STRICT;

-- A session row holds the SHA-256 of the client's secret, never the secret.
CREATE TABLE sessions (
  token_digest TEXT PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
  csrf_token   TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
