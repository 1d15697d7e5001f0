-- Finance (RULES §7, §8, §11): bank accounts, pricing points, finance events, pricings,
-- reimbursement runs (batches, cashflows, invoices), custom rules and incidents.
-- Amounts are integer cents; a pricing's amount is what passpro pays the venue (positive),
-- an incident's pricing takes money back (negative). docs/finance.md.

CREATE TABLE bank_account (
    id                  {AUTO_ID},
    offerer_id          BIGINT NOT NULL REFERENCES offerer(id),
    label               TEXT NOT NULL,
    iban                TEXT NOT NULL,            -- normalised: upper case, no spaces
    status              TEXT NOT NULL DEFAULT 'DRAFT'
                        CHECK (status IN ('DRAFT', 'ACCEPTED', 'REFUSED')),
    created_at          BIGINT NOT NULL,
    decided_at          BIGINT
);
CREATE INDEX bank_account_offerer ON bank_account(offerer_id);
CREATE INDEX bank_account_status ON bank_account(status);

-- Which account pays a venue, over time: a run pays the account linked at its cut-off.
CREATE TABLE venue_bank_account_link (
    id                  {AUTO_ID},
    venue_id            BIGINT NOT NULL REFERENCES venue(id),
    bank_account_id     BIGINT NOT NULL REFERENCES bank_account(id),
    starts_at           BIGINT NOT NULL,
    ends_at             BIGINT,                  -- NULL while current
    CHECK (ends_at IS NULL OR ends_at >= starts_at)
);
CREATE UNIQUE INDEX venue_bank_account_current ON venue_bank_account_link(venue_id)
    WHERE ends_at IS NULL;
CREATE INDEX venue_bank_account_link_account ON venue_bank_account_link(bank_account_id);

-- A venue without SIRET is priced by one of its structure's SIRET venues (chosen once).
-- A venue with a SIRET is its own pricing point and has no row here.
CREATE TABLE venue_pricing_point_link (
    venue_id            {INT_KEY} REFERENCES venue(id),
    pricing_point_id    BIGINT NOT NULL REFERENCES venue(id),
    starts_at           BIGINT NOT NULL
);

CREATE TABLE custom_reimbursement_rule (
    id                  {AUTO_ID},
    offer_id            BIGINT REFERENCES offer(id),
    venue_id            BIGINT REFERENCES venue(id),
    offerer_id          BIGINT REFERENCES offerer(id),
    rate_bp             BIGINT,                  -- basis points (9000 = 90 %), or NULL
    amount_cents        BIGINT,                  -- per place, or NULL
    subcategories       TEXT,                     -- "A,B" or NULL for all
    starts_at           BIGINT NOT NULL,
    ends_at             BIGINT,
    created_at          BIGINT NOT NULL,
    -- Exactly one target (counted with CAST: PostgreSQL has no sum of booleans).
    CHECK (CAST(offer_id IS NOT NULL AS INTEGER) + CAST(venue_id IS NOT NULL AS INTEGER)
           + CAST(offerer_id IS NOT NULL AS INTEGER) = 1),
    CHECK ((rate_bp IS NULL) <> (amount_cents IS NULL)),
    CHECK (rate_bp IS NULL OR (rate_bp >= 0 AND rate_bp <= 10000)),
    CHECK (amount_cents IS NULL OR amount_cents >= 0),
    CHECK (ends_at IS NULL OR ends_at > starts_at)
);

-- An overpayment on a reimbursed booking, taken back from the account's next payment.
CREATE TABLE finance_incident (
    id                  {AUTO_ID},
    booking_id          BIGINT NOT NULL REFERENCES booking(id),
    reason              TEXT NOT NULL,
    amount_cents        BIGINT NOT NULL CHECK (amount_cents > 0),
    created_by          BIGINT REFERENCES account(id),
    created_at          BIGINT NOT NULL
);
CREATE INDEX finance_incident_booking ON finance_incident(booking_id);

-- What happened to a booking, waiting to be priced. pending: the venue has no pricing
-- point yet; ready: to price; priced; cancelled (un-used before payment).
CREATE TABLE finance_event (
    id                  {AUTO_ID},
    booking_id          BIGINT REFERENCES booking(id),
    collective_booking_id BIGINT,                -- a school group's booking (006)
    incident_id         BIGINT REFERENCES finance_incident(id),
    venue_id            BIGINT NOT NULL REFERENCES venue(id),
    pricing_point_id    BIGINT REFERENCES venue(id),
    status              TEXT NOT NULL
                        CHECK (status IN ('pending', 'ready', 'priced', 'cancelled')),
    value_date          BIGINT NOT NULL,         -- when the booking was used
    ordering_date       BIGINT NOT NULL,         -- max(event date, use, pricing point link)
    year                BIGINT NOT NULL,         -- calendar year (Paris) of value_date
    created_at          BIGINT NOT NULL,
    CHECK ((booking_id IS NULL) <> (collective_booking_id IS NULL))
);
-- At most one event of a booking's use waiting or priced at a time.
CREATE UNIQUE INDEX finance_event_one_live_per_booking ON finance_event(booking_id)
    WHERE status <> 'cancelled' AND incident_id IS NULL AND booking_id IS NOT NULL;
CREATE UNIQUE INDEX finance_event_one_live_per_collective ON finance_event(collective_booking_id)
    WHERE status <> 'cancelled' AND collective_booking_id IS NOT NULL;
CREATE INDEX finance_event_ready ON finance_event(status, pricing_point_id, ordering_date, id);
CREATE INDEX finance_event_venue_pending ON finance_event(venue_id, status);

CREATE TABLE cashflow_batch (
    id                  {AUTO_ID},
    label               TEXT NOT NULL UNIQUE,     -- "VIR1", "VIR2"...
    cutoff              BIGINT NOT NULL UNIQUE,
    created_at          BIGINT NOT NULL
);

CREATE TABLE cashflow (
    id                  {AUTO_ID},
    batch_id            BIGINT NOT NULL REFERENCES cashflow_batch(id),
    bank_account_id     BIGINT NOT NULL REFERENCES bank_account(id),
    amount_cents        BIGINT NOT NULL,
    created_at          BIGINT NOT NULL,
    UNIQUE (batch_id, bank_account_id)
);

-- A trigger of pgsql/ and sqlite/005_finance.sql keeps the PDF from being rewritten.
CREATE TABLE invoice (
    id                  {AUTO_ID},
    reference           TEXT NOT NULL UNIQUE,     -- "F260000001"
    bank_account_id     BIGINT NOT NULL REFERENCES bank_account(id),
    offerer_id          BIGINT NOT NULL REFERENCES offerer(id),
    batch_id            BIGINT NOT NULL REFERENCES cashflow_batch(id),
    cashflow_id         BIGINT REFERENCES cashflow(id),
    amount_cents        BIGINT NOT NULL,
    date                BIGINT NOT NULL,
    period_start        BIGINT NOT NULL,         -- first day included (00:00 Paris)
    period_end          BIGINT NOT NULL,         -- last day included (00:00 Paris)
    pdf                 {BYTES},                 -- generated once, never rewritten
    UNIQUE (batch_id, bank_account_id)
);
CREATE INDEX invoice_offerer_date ON invoice(offerer_id, date);

-- One line per barème, rate and kind, as the justificatif shows them.
CREATE TABLE invoice_line (
    id                  {AUTO_ID},
    invoice_id          BIGINT NOT NULL REFERENCES invoice(id),
    rule                TEXT NOT NULL,
    custom_rule_id      BIGINT,
    rate_bp             BIGINT NOT NULL,         -- -1: a fixed amount per place
    is_incident         BIGINT NOT NULL DEFAULT 0,
    booked_cents        BIGINT NOT NULL,
    reimbursed_cents    BIGINT NOT NULL
);
CREATE INDEX invoice_line_invoice ON invoice_line(invoice_id);

-- The price of one event. validated: waits for a run; invoiced: paid; cancelled.
CREATE TABLE pricing (
    id                  {AUTO_ID},
    event_id            BIGINT NOT NULL REFERENCES finance_event(id),
    booking_id          BIGINT REFERENCES booking(id),
    collective_booking_id BIGINT,                -- a school group's booking (006)
    incident_id         BIGINT REFERENCES finance_incident(id),
    venue_id            BIGINT NOT NULL REFERENCES venue(id),
    pricing_point_id    BIGINT NOT NULL REFERENCES venue(id),
    status              TEXT NOT NULL CHECK (status IN ('validated', 'invoiced', 'cancelled')),
    value_date          BIGINT NOT NULL,
    ordering_date       BIGINT NOT NULL,
    year                BIGINT NOT NULL,         -- calendar year (Paris) of value_date
    booking_total_cents BIGINT NOT NULL,         -- what the booking adds to the revenue
    revenue_cents       BIGINT NOT NULL,         -- the year's revenue, this booking included
    rule                TEXT NOT NULL,
    custom_rule_id      BIGINT REFERENCES custom_reimbursement_rule(id),
    rate_bp             BIGINT NOT NULL,
    amount_cents        BIGINT NOT NULL,
    invoice_id          BIGINT REFERENCES invoice(id),
    created_at          BIGINT NOT NULL,
    CHECK ((booking_id IS NULL) <> (collective_booking_id IS NULL))
);
CREATE UNIQUE INDEX pricing_one_live_per_event ON pricing(event_id) WHERE status <> 'cancelled';
CREATE INDEX pricing_point_year ON pricing(pricing_point_id, year, status, ordering_date);
CREATE INDEX pricing_status_value ON pricing(status, value_date);
CREATE INDEX pricing_invoice ON pricing(invoice_id);
CREATE INDEX pricing_booking ON pricing(booking_id);
CREATE INDEX pricing_collective_booking ON pricing(collective_booking_id);

-- Gap-free numbering: the row is updated inside the transaction that uses the number, so a
-- rolled-back run gives its number back and two runs queue on the row.
CREATE TABLE reference_scheme (
    name                TEXT NOT NULL,            -- "F" invoices, "VIR" batches
    year                BIGINT NOT NULL,         -- 0 when the sequence never restarts
    next_number         BIGINT NOT NULL,
    PRIMARY KEY (name, year)
);

-- The scheduled cut-offs already handled (paid, or found with nothing to pay), so that the
-- scheduler looks at each cut-off once.
CREATE TABLE finance_schedule (
    cutoff              {INT_KEY},
    checked_at          BIGINT NOT NULL,
    batch_id            BIGINT REFERENCES cashflow_batch(id)
);
