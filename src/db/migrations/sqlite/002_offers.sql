-- Individual offers, their price categories ("tarifs"), stocks and activation codes.
-- Money in integer cents; times in Unix seconds (UTC).

CREATE TABLE offer (
    id                  INTEGER PRIMARY KEY,
    venue_id            INTEGER NOT NULL REFERENCES venue(id),
    name                TEXT NOT NULL,
    description         TEXT,
    subcategory_id      TEXT NOT NULL,
    url                 TEXT,
    is_duo              INTEGER NOT NULL DEFAULT 0,
    booking_email       TEXT,
    withdrawal_details  TEXT,
    audio_disability    INTEGER NOT NULL,
    mental_disability   INTEGER NOT NULL,
    motor_disability    INTEGER NOT NULL,
    visual_disability   INTEGER NOT NULL,
    validation          TEXT NOT NULL DEFAULT 'DRAFT'
                        CHECK (validation IN ('DRAFT', 'PENDING', 'APPROVED', 'REJECTED')),
    is_active           INTEGER NOT NULL DEFAULT 1,
    created_at          INTEGER NOT NULL,
    published_at        INTEGER,
    moderated_at        INTEGER
);
CREATE INDEX offer_venue ON offer(venue_id);
CREATE INDEX offer_validation ON offer(validation);

CREATE TABLE price_category (
    id                  INTEGER PRIMARY KEY,
    offer_id            INTEGER NOT NULL REFERENCES offer(id),
    label               TEXT NOT NULL,
    price_cents         INTEGER NOT NULL CHECK (price_cents >= 0 AND price_cents <= 30000),
    UNIQUE (offer_id, label)
);

CREATE TABLE stock (
    id                  INTEGER PRIMARY KEY,
    offer_id            INTEGER NOT NULL REFERENCES offer(id),
    price_category_id   INTEGER REFERENCES price_category(id),
    price_cents         INTEGER NOT NULL CHECK (price_cents >= 0 AND price_cents <= 30000),
    quantity            INTEGER CHECK (quantity IS NULL OR (quantity >= 0 AND quantity <= 1000000)),
    booked              INTEGER NOT NULL DEFAULT 0,
    beginning_at        INTEGER,
    booking_limit_at    INTEGER,
    is_deleted          INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    -- Never oversold: the database itself refuses more bookings than places.
    CHECK (booked >= 0 AND (quantity IS NULL OR booked <= quantity)),
    CHECK (booking_limit_at IS NULL OR beginning_at IS NULL OR booking_limit_at <= beginning_at)
);
CREATE INDEX stock_offer ON stock(offer_id, is_deleted);
CREATE INDEX stock_beginning ON stock(beginning_at);
-- One live stock per (offer, date, tariff): a recurrence run twice cannot duplicate dates.
CREATE UNIQUE INDEX stock_unique_slot ON stock(offer_id, beginning_at, price_category_id)
    WHERE is_deleted = 0 AND beginning_at IS NOT NULL;

CREATE TABLE activation_code (
    id                  INTEGER PRIMARY KEY,
    stock_id            INTEGER NOT NULL REFERENCES stock(id),
    code                TEXT NOT NULL,
    expiration_at       INTEGER,
    booking_id          INTEGER,
    created_at          INTEGER NOT NULL,
    UNIQUE (stock_id, code)
);
