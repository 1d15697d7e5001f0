-- Collective offers for school groups (RULES §10, SPEC §8): referencing requests, the
-- eligible-formats policy, showcase and bookable offers, schools and their yearly budgets,
-- ADAGE keys, collective bookings. Collective bookings are priced and paid by the finance
-- pipeline of 005 (finance_event / pricing carry collective_booking_id). docs/collective.md.

-- "Demande de référencement": the questionnaire a structure sends; the back office decides.
CREATE TABLE adage_application (
    id                  {AUTO_ID},
    offerer_id          BIGINT NOT NULL REFERENCES offerer(id),
    account_id          BIGINT NOT NULL REFERENCES account(id),
    activity            TEXT NOT NULL,            -- what the structure does
    public              TEXT NOT NULL,            -- which pupils it welcomes
    contact_email       TEXT NOT NULL,
    contact_phone       TEXT,
    formats             TEXT NOT NULL,            -- intended EAC formats, "A|B"
    description         TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'PENDING'
                        CHECK (status IN ('PENDING', 'ACCEPTED', 'REJECTED')),
    decision_reason     TEXT,
    created_at          BIGINT NOT NULL,
    decided_at          BIGINT,
    decided_by          BIGINT REFERENCES account(id)
);
CREATE UNIQUE INDEX adage_application_one_pending ON adage_application(offerer_id)
    WHERE status = 'PENDING';

-- The eligible formats, a back-office policy: subcategories ("SUBCATEGORY", "SEANCE_CINE")
-- and EAC formats ("FORMAT", "Projection audiovisuelle").
CREATE TABLE collective_policy (
    kind                TEXT NOT NULL CHECK (kind IN ('SUBCATEGORY', 'FORMAT')),
    code                TEXT NOT NULL,
    PRIMARY KEY (kind, code)
);
INSERT INTO collective_policy (kind, code) VALUES
    ('SUBCATEGORY', 'SEANCE_CINE'), ('SUBCATEGORY', 'EVENEMENT_CINE'),
    ('SUBCATEGORY', 'FESTIVAL_CINE'), ('SUBCATEGORY', 'CINE_PLEIN_AIR'),
    ('FORMAT', 'Projection audiovisuelle');

-- Schools (UAI). Declared before the offers that name them: PostgreSQL wants a referenced
-- table to exist.
CREATE TABLE educational_institution (
    id                  {AUTO_ID},
    uai                 TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    city                TEXT NOT NULL,
    created_at          BIGINT NOT NULL
);

CREATE TABLE collective_offer (
    id                  {AUTO_ID},
    venue_id            BIGINT NOT NULL REFERENCES venue(id),
    offerer_id          BIGINT NOT NULL REFERENCES offerer(id),
    is_template         BIGINT NOT NULL DEFAULT 0,   -- 1: "offre vitrine", never bookable
    name                TEXT NOT NULL,
    description         TEXT NOT NULL,
    subcategory_id      TEXT NOT NULL,
    format              TEXT NOT NULL,                -- the EAC format
    students            TEXT NOT NULL,                -- levels, "Collège - 6e|Collège - 5e"
    domains             TEXT,                         -- artistic domains, "Cinéma|..."
    contact_email       TEXT NOT NULL,
    contact_phone       TEXT,
    intervention_area   TEXT,                         -- departments, "33|40" (showcase)
    booking_emails      TEXT,                         -- where booking emails go, "a|b"
    institution_id      BIGINT REFERENCES educational_institution(id),
    status              TEXT NOT NULL DEFAULT 'PUBLISHED'
                        CHECK (status IN ('PUBLISHED', 'ARCHIVED')),
    created_at          BIGINT NOT NULL
);
CREATE INDEX collective_offer_offerer ON collective_offer(offerer_id, created_at);

-- The one date range of a bookable offer, its pupils and its total price.
CREATE TABLE collective_stock (
    id                  {AUTO_ID},
    offer_id            BIGINT NOT NULL UNIQUE REFERENCES collective_offer(id),
    start_at            BIGINT NOT NULL,
    end_at              BIGINT NOT NULL,
    number_of_tickets   BIGINT NOT NULL CHECK (number_of_tickets BETWEEN 1 AND 3000),
    price_cents         BIGINT NOT NULL CHECK (price_cents BETWEEN 0 AND 6000000),
    booking_limit_at    BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    CHECK (end_at >= start_at AND booking_limit_at <= start_at)
);

-- Their budget per school year (the year it starts: 2026 for 2026-2027).
CREATE TABLE institution_budget (
    institution_id      BIGINT NOT NULL REFERENCES educational_institution(id),
    year                BIGINT NOT NULL,
    budget_cents        BIGINT NOT NULL CHECK (budget_cents >= 0),
    spent_cents         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (institution_id, year),
    -- Never beyond the budget, whatever the interleaving of confirmations.
    CHECK (spent_cents >= 0 AND spent_cents <= budget_cents)
);

-- Keys of the ADAGE side (teachers' and heads' platform): "adage_<12 hex>_<64 hex>".
CREATE TABLE adage_api_key (
    id                  {AUTO_ID},
    prefix              TEXT NOT NULL UNIQUE,
    secret_hash         TEXT NOT NULL,
    label               TEXT NOT NULL,
    created_by          BIGINT REFERENCES account(id),
    created_at          BIGINT NOT NULL,
    revoked_at          BIGINT
);

CREATE TABLE collective_booking (
    id                  {AUTO_ID},
    stock_id            BIGINT NOT NULL REFERENCES collective_stock(id),
    offer_id            BIGINT NOT NULL REFERENCES collective_offer(id),
    venue_id            BIGINT NOT NULL REFERENCES venue(id),
    offerer_id          BIGINT NOT NULL REFERENCES offerer(id),
    institution_id      BIGINT NOT NULL REFERENCES educational_institution(id),
    year                BIGINT NOT NULL,             -- the school year of the event
    teacher_email       TEXT NOT NULL,
    price_cents         BIGINT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'PENDING'
                        CHECK (status IN ('PENDING', 'CONFIRMED', 'USED', 'CANCELLED',
                                          'REIMBURSED')),
    created_at          BIGINT NOT NULL,
    confirmation_limit_at BIGINT NOT NULL,
    cancellation_limit_at BIGINT NOT NULL,
    confirmed_at        BIGINT,
    used_at             BIGINT,
    cancelled_at        BIGINT,
    cancellation_reason TEXT,
    reimbursed_at       BIGINT
);
-- One live booking per stock: a bookable offer is for one class.
CREATE UNIQUE INDEX collective_booking_one_live ON collective_booking(stock_id)
    WHERE status <> 'CANCELLED';
CREATE INDEX collective_booking_offerer ON collective_booking(offerer_id, created_at);
CREATE INDEX collective_booking_status ON collective_booking(status);
