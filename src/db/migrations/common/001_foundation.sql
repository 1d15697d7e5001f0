-- Foundation: accounts, sessions, structures (offerers), attachments, venues, audit log.
-- Times are Unix seconds (UTC); booleans 0/1. Emails are stored lower-cased.

CREATE TABLE account (
    id              {AUTO_ID},
    email           TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    phone           TEXT,
    role            TEXT NOT NULL CHECK (role IN ('PRO', 'BENEFICIARY', 'UNDERAGE', 'ADMIN')),
    created_at      BIGINT NOT NULL
);

CREATE TABLE session (
    token_hash      TEXT PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    csrf_token      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX session_account ON session(account_id);

-- Failed logins, per account and per address, for throttling shared by every server.
CREATE TABLE login_failure (
    id              {AUTO_ID},
    key             TEXT NOT NULL,
    at              BIGINT NOT NULL
);
CREATE INDEX login_failure_key_at ON login_failure(key, at);

CREATE TABLE offerer (
    id              {AUTO_ID},
    siren           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    street          TEXT,
    postal_code     TEXT,
    city            TEXT,
    ape_code        TEXT,
    status          TEXT NOT NULL CHECK (status IN ('NEW', 'PENDING', 'VALIDATED', 'REJECTED', 'CLOSED')),
    is_local_authority BIGINT NOT NULL DEFAULT 0,
    allowed_on_adage BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    validated_at    BIGINT
);

CREATE TABLE user_offerer (
    id              {AUTO_ID},
    account_id      BIGINT NOT NULL REFERENCES account(id),
    offerer_id      BIGINT NOT NULL REFERENCES offerer(id),
    status          TEXT NOT NULL CHECK (status IN ('NEW', 'PENDING', 'VALIDATED', 'REJECTED')),
    created_at      BIGINT NOT NULL,
    decided_at      BIGINT,
    UNIQUE (account_id, offerer_id)
);
CREATE INDEX user_offerer_offerer ON user_offerer(offerer_id);

CREATE TABLE venue (
    id              {AUTO_ID},
    offerer_id      BIGINT NOT NULL REFERENCES offerer(id),
    name            TEXT NOT NULL,
    public_name     TEXT,
    siret           TEXT UNIQUE,
    comment         TEXT,
    street          TEXT NOT NULL,
    postal_code     TEXT NOT NULL,
    city            TEXT NOT NULL,
    booking_email   TEXT,
    venue_type      TEXT NOT NULL,
    timezone        TEXT NOT NULL DEFAULT 'Europe/Paris',
    created_at      BIGINT NOT NULL,
    CHECK (siret IS NOT NULL OR (comment IS NOT NULL AND comment <> ''))
);
CREATE INDEX venue_offerer ON venue(offerer_id);

-- Append-only: no route updates or deletes it, and the triggers of pgsql/ and sqlite/
-- 001_foundation.sql refuse it.
CREATE TABLE audit_log (
    id              {AUTO_ID},
    at              BIGINT NOT NULL,
    account_id      BIGINT,
    channel         TEXT NOT NULL,
    action          TEXT NOT NULL,
    object_type     TEXT NOT NULL,
    object_id       BIGINT NOT NULL,
    detail          TEXT
);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
