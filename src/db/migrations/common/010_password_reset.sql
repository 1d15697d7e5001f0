-- Password reset links (SPEC §3, RULES §11): only the BLAKE2b hash of the token is kept, as
-- for sessions; a link is single-use (used_at) and expires 24 h after it was asked for.
CREATE TABLE password_reset_token (
    token_hash      TEXT PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT
);
CREATE INDEX password_reset_token_account ON password_reset_token(account_id);
