-- Guichet and partner API: API keys, one throttling table for every limit, job locks, and
-- the expiry reminder of bookings.

CREATE TABLE api_key (
    id                  {AUTO_ID},
    offerer_id          BIGINT NOT NULL REFERENCES offerer(id),
    prefix              TEXT NOT NULL UNIQUE,      -- "<env>_<12 hex>": shown, searchable
    secret_hash         TEXT NOT NULL,             -- BLAKE2b of the 64-hex secret
    created_by          BIGINT REFERENCES account(id),
    created_at          BIGINT NOT NULL,
    last_used_at        BIGINT,
    revoked_at          BIGINT
);
CREATE INDEX api_key_offerer ON api_key(offerer_id);

-- Failed attempts by key ("login:account:...", "guichet:key:..."), for throttling that
-- every server shares.
CREATE TABLE throttle_event (
    id                  {AUTO_ID},
    key                 TEXT NOT NULL,
    at                  BIGINT NOT NULL
);
CREATE INDEX throttle_event_key_at ON throttle_event(key, at);
DROP TABLE login_failure;

-- One row per job: a server runs a job only while it holds its lock.
CREATE TABLE job_lock (
    name                TEXT PRIMARY KEY,
    locked_until        BIGINT NOT NULL DEFAULT 0,
    owner               TEXT
);

ALTER TABLE booking ADD COLUMN expiry_reminder_at BIGINT;
CREATE INDEX booking_status_created ON booking(status, created_at);
CREATE INDEX booking_token_upper ON booking(token);
