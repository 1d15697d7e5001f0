-- Individual offers, their price categories ("tarifs"), stocks and activation codes.
-- Money in integer cents; times in Unix seconds (UTC).

CREATE TABLE offer (
    id                  {AUTO_ID},
    venue_id            BIGINT NOT NULL REFERENCES venue(id),
    name                TEXT NOT NULL,
    description         TEXT,
    subcategory_id      TEXT NOT NULL,
    url                 TEXT,
    is_duo              BIGINT NOT NULL DEFAULT 0,
    booking_email       TEXT,
    withdrawal_details  TEXT,
    audio_disability    BIGINT NOT NULL,
    mental_disability   BIGINT NOT NULL,
    motor_disability    BIGINT NOT NULL,
    visual_disability   BIGINT NOT NULL,
    validation          TEXT NOT NULL DEFAULT 'DRAFT'
                        CHECK (validation IN ('DRAFT', 'PENDING', 'APPROVED', 'REJECTED')),
    is_active           BIGINT NOT NULL DEFAULT 1,
    created_at          BIGINT NOT NULL,
    published_at        BIGINT,
    moderated_at        BIGINT
);
CREATE INDEX offer_venue ON offer(venue_id);
CREATE INDEX offer_validation ON offer(validation);

CREATE TABLE price_category (
    id                  {AUTO_ID},
    offer_id            BIGINT NOT NULL REFERENCES offer(id),
    label               TEXT NOT NULL,
    price_cents         BIGINT NOT NULL CHECK (price_cents >= 0 AND price_cents <= 30000),
    UNIQUE (offer_id, label)
);

CREATE TABLE stock (
    id                  {AUTO_ID},
    offer_id            BIGINT NOT NULL REFERENCES offer(id),
    price_category_id   BIGINT REFERENCES price_category(id),
    price_cents         BIGINT NOT NULL CHECK (price_cents >= 0 AND price_cents <= 30000),
    quantity            BIGINT CHECK (quantity IS NULL OR (quantity >= 0 AND quantity <= 1000000)),
    booked              BIGINT NOT NULL DEFAULT 0,
    beginning_at        BIGINT,
    booking_limit_at    BIGINT,
    is_deleted          BIGINT NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL,
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
    id                  {AUTO_ID},
    stock_id            BIGINT NOT NULL REFERENCES stock(id),
    code                TEXT NOT NULL,
    expiration_at       BIGINT,
    booking_id          BIGINT,
    created_at          BIGINT NOT NULL,
    UNIQUE (stock_id, code)
);
