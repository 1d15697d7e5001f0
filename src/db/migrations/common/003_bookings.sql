-- Beneficiaries, their wallets, bookings, and the outbox of emails to send.

CREATE TABLE beneficiary (
    account_id          {INT_KEY} REFERENCES account(id),
    birth_date          TEXT NOT NULL,        -- YYYY-MM-DD
    postal_code         TEXT NOT NULL,
    social_bonus        BIGINT NOT NULL DEFAULT 0,
    registered_at       BIGINT NOT NULL
);

-- The credit granted (amount) and what live bookings use (spent), kept together so that one
-- conditional UPDATE decides a booking: the balance can never go below zero.
CREATE TABLE wallet (
    account_id          {INT_KEY} REFERENCES account(id),
    amount_cents        BIGINT NOT NULL,
    spent_cents         BIGINT NOT NULL DEFAULT 0,
    digital_spent_cents BIGINT NOT NULL DEFAULT 0,
    expires_at          BIGINT NOT NULL,
    CHECK (spent_cents >= 0 AND spent_cents <= amount_cents),
    CHECK (digital_spent_cents >= 0 AND digital_spent_cents <= 10000)
);

CREATE TABLE booking (
    id                  {AUTO_ID},
    token               TEXT NOT NULL UNIQUE,
    account_id          BIGINT NOT NULL REFERENCES account(id),
    stock_id            BIGINT NOT NULL REFERENCES stock(id),
    offer_id            BIGINT NOT NULL REFERENCES offer(id),
    venue_id            BIGINT NOT NULL REFERENCES venue(id),
    offerer_id          BIGINT NOT NULL REFERENCES offerer(id),
    quantity            BIGINT NOT NULL CHECK (quantity IN (1, 2)),
    amount_cents        BIGINT NOT NULL CHECK (amount_cents >= 0),
    price_category_label TEXT,
    status              TEXT NOT NULL
                        CHECK (status IN ('CONFIRMED', 'USED', 'CANCELLED', 'REIMBURSED')),
    counts_digital      BIGINT NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL,
    cancellation_limit_at BIGINT,
    used_at             BIGINT,
    validation_author   TEXT,
    cancelled_at        BIGINT,
    cancellation_reason TEXT,
    cancelled_by        BIGINT,
    reimbursed_at       BIGINT,
    activation_code     TEXT
);
-- One live booking per beneficiary and offer, whatever the interleaving.
CREATE UNIQUE INDEX booking_one_live_per_offer ON booking(account_id, offer_id)
    WHERE status <> 'CANCELLED';
CREATE INDEX booking_stock ON booking(stock_id);
CREATE INDEX booking_offerer_created ON booking(offerer_id, created_at);
CREATE INDEX booking_account ON booking(account_id, created_at);

-- Emails are written here in the transaction of the change that causes them, and delivered
-- by a worker (mail issue): never lost, never sent twice.
CREATE TABLE outbox (
    id                  {AUTO_ID},
    created_at          BIGINT NOT NULL,
    kind                TEXT NOT NULL,
    to_address          TEXT NOT NULL,
    reply_to            TEXT,
    payload             TEXT NOT NULL,        -- JSON data for the template
    status              TEXT NOT NULL DEFAULT 'PENDING'
                        CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')),
    attempts            BIGINT NOT NULL DEFAULT 0,
    next_attempt_at     BIGINT NOT NULL,
    last_error          TEXT,
    sent_at             BIGINT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
