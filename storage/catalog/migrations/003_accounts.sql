-- 003: who may use Sohoa. Like audit_log, none of this is derived from the object store: a catalog
-- rebuild keeps it.

-- People who sign in to the web app. A station belongs to the agency whose dossiers it scans.
CREATE TABLE users (
  name text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._@-]{1,63}$'),
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('station', 'archivist', 'reform', 'admin')),
  agency_code text CHECK (role <> 'station' OR agency_code IS NOT NULL),
  -- scrypt$<N>$<r>$<p>$<salt, base64>$<key, base64>
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Tokens of machines (scanners, the one-stop-shop system). Only the token's SHA-256 is kept.
CREATE TABLE api_tokens (
  id text PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('station', 'archivist', 'reform', 'admin')),
  agency_code text CHECK (role <> 'station' OR agency_code IS NOT NULL),
  token_sha256 text NOT NULL UNIQUE,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);

-- Web sessions: the cookie carries a random id, the catalog only its SHA-256.
CREATE TABLE sessions (
  id_sha256 text PRIMARY KEY,
  user_name text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  data jsonb NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Settings changed in the app (coverage thresholds, the session secret), each with who set it.
CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
