-- Foundation: accounts, sessions, structures (offerers), attachments, venues, audit log.
-- Times are Unix seconds (UTC); booleans 0/1. Emails are stored lower-cased.

CREATE TABLE account (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    phone           TEXT,
    role            TEXT NOT NULL CHECK (role IN ('PRO', 'BENEFICIARY', 'UNDERAGE', 'ADMIN')),
    created_at      INTEGER NOT NULL
);

CREATE TABLE session (
    token_hash      TEXT PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    csrf_token      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
);
CREATE INDEX session_account ON session(account_id);

-- Failed logins, per account and per address, for throttling shared by every server.
CREATE TABLE login_failure (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL,
    at              INTEGER NOT NULL
);
CREATE INDEX login_failure_key_at ON login_failure(key, at);

CREATE TABLE offerer (
    id              INTEGER PRIMARY KEY,
    siren           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    street          TEXT,
    postal_code     TEXT,
    city            TEXT,
    ape_code        TEXT,
    status          TEXT NOT NULL CHECK (status IN ('NEW', 'PENDING', 'VALIDATED', 'REJECTED', 'CLOSED')),
    is_local_authority INTEGER NOT NULL DEFAULT 0,
    allowed_on_adage INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    validated_at    INTEGER
);

CREATE TABLE user_offerer (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES account(id),
    offerer_id      INTEGER NOT NULL REFERENCES offerer(id),
    status          TEXT NOT NULL CHECK (status IN ('NEW', 'PENDING', 'VALIDATED', 'REJECTED')),
    created_at      INTEGER NOT NULL,
    decided_at      INTEGER,
    UNIQUE (account_id, offerer_id)
);
CREATE INDEX user_offerer_offerer ON user_offerer(offerer_id);

CREATE TABLE venue (
    id              INTEGER PRIMARY KEY,
    offerer_id      INTEGER NOT NULL REFERENCES offerer(id),
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
    created_at      INTEGER NOT NULL,
    CHECK (siret IS NOT NULL OR (comment IS NOT NULL AND comment <> ''))
);
CREATE INDEX venue_offerer ON venue(offerer_id);

-- Append-only: no route updates or deletes it.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    account_id      INTEGER,
    channel         TEXT NOT NULL,
    action          TEXT NOT NULL,
    object_type     TEXT NOT NULL,
    object_id       INTEGER NOT NULL,
    detail          TEXT
);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
