-- Finance (RULES §7, §8, §11): bank accounts, pricing points, finance events, pricings,
-- reimbursement runs (batches, cashflows, invoices), custom rules and incidents.
-- Amounts are integer cents; a pricing's amount is what passpro pays the venue (positive),
-- an incident's pricing takes money back (negative). docs/finance.md.

CREATE TABLE bank_account (
    id                  INTEGER PRIMARY KEY,
    offerer_id          INTEGER NOT NULL REFERENCES offerer(id),
    label               TEXT NOT NULL,
    iban                TEXT NOT NULL,            -- normalised: upper case, no spaces
    status              TEXT NOT NULL DEFAULT 'DRAFT'
                        CHECK (status IN ('DRAFT', 'ACCEPTED', 'REFUSED')),
    created_at          INTEGER NOT NULL,
    decided_at          INTEGER
);
CREATE INDEX bank_account_offerer ON bank_account(offerer_id);
CREATE INDEX bank_account_status ON bank_account(status);

-- Which account pays a venue, over time: a run pays the account linked at its cut-off.
CREATE TABLE venue_bank_account_link (
    id                  INTEGER PRIMARY KEY,
    venue_id            INTEGER NOT NULL REFERENCES venue(id),
    bank_account_id     INTEGER NOT NULL REFERENCES bank_account(id),
    starts_at           INTEGER NOT NULL,
    ends_at             INTEGER,                  -- NULL while current
    CHECK (ends_at IS NULL OR ends_at >= starts_at)
);
CREATE UNIQUE INDEX venue_bank_account_current ON venue_bank_account_link(venue_id)
    WHERE ends_at IS NULL;
CREATE INDEX venue_bank_account_link_account ON venue_bank_account_link(bank_account_id);

-- A venue without SIRET is priced by one of its structure's SIRET venues (chosen once).
-- A venue with a SIRET is its own pricing point and has no row here.
CREATE TABLE venue_pricing_point_link (
    venue_id            INTEGER PRIMARY KEY REFERENCES venue(id),
    pricing_point_id    INTEGER NOT NULL REFERENCES venue(id),
    starts_at           INTEGER NOT NULL
);

CREATE TABLE custom_reimbursement_rule (
    id                  INTEGER PRIMARY KEY,
    offer_id            INTEGER REFERENCES offer(id),
    venue_id            INTEGER REFERENCES venue(id),
    offerer_id          INTEGER REFERENCES offerer(id),
    rate_bp             INTEGER,                  -- basis points (9000 = 90 %), or NULL
    amount_cents        INTEGER,                  -- per place, or NULL
    subcategories       TEXT,                     -- "A,B" or NULL for all
    starts_at           INTEGER NOT NULL,
    ends_at             INTEGER,
    created_at          INTEGER NOT NULL,
    CHECK ((offer_id IS NOT NULL) + (venue_id IS NOT NULL) + (offerer_id IS NOT NULL) = 1),
    CHECK ((rate_bp IS NULL) <> (amount_cents IS NULL)),
    CHECK (rate_bp IS NULL OR (rate_bp >= 0 AND rate_bp <= 10000)),
    CHECK (amount_cents IS NULL OR amount_cents >= 0),
    CHECK (ends_at IS NULL OR ends_at > starts_at)
);

-- An overpayment on a reimbursed booking, taken back from the account's next payment.
CREATE TABLE finance_incident (
    id                  INTEGER PRIMARY KEY,
    booking_id          INTEGER NOT NULL REFERENCES booking(id),
    reason              TEXT NOT NULL,
    amount_cents        INTEGER NOT NULL CHECK (amount_cents > 0),
    created_by          INTEGER REFERENCES account(id),
    created_at          INTEGER NOT NULL
);
CREATE INDEX finance_incident_booking ON finance_incident(booking_id);

-- What happened to a booking, waiting to be priced. pending: the venue has no pricing
-- point yet; ready: to price; priced; cancelled (un-used before payment).
CREATE TABLE finance_event (
    id                  INTEGER PRIMARY KEY,
    booking_id          INTEGER REFERENCES booking(id),
    collective_booking_id INTEGER,                -- a school group's booking (006)
    incident_id         INTEGER REFERENCES finance_incident(id),
    venue_id            INTEGER NOT NULL REFERENCES venue(id),
    pricing_point_id    INTEGER REFERENCES venue(id),
    status              TEXT NOT NULL
                        CHECK (status IN ('pending', 'ready', 'priced', 'cancelled')),
    value_date          INTEGER NOT NULL,         -- when the booking was used
    ordering_date       INTEGER NOT NULL,         -- max(event date, use, pricing point link)
    year                INTEGER NOT NULL,         -- calendar year (Paris) of value_date
    created_at          INTEGER NOT NULL,
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
    id                  INTEGER PRIMARY KEY,
    label               TEXT NOT NULL UNIQUE,     -- "VIR1", "VIR2"...
    cutoff              INTEGER NOT NULL UNIQUE,
    created_at          INTEGER NOT NULL
);

CREATE TABLE cashflow (
    id                  INTEGER PRIMARY KEY,
    batch_id            INTEGER NOT NULL REFERENCES cashflow_batch(id),
    bank_account_id     INTEGER NOT NULL REFERENCES bank_account(id),
    amount_cents        INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    UNIQUE (batch_id, bank_account_id)
);

CREATE TABLE invoice (
    id                  INTEGER PRIMARY KEY,
    reference           TEXT NOT NULL UNIQUE,     -- "F260000001"
    bank_account_id     INTEGER NOT NULL REFERENCES bank_account(id),
    offerer_id          INTEGER NOT NULL REFERENCES offerer(id),
    batch_id            INTEGER NOT NULL REFERENCES cashflow_batch(id),
    cashflow_id         INTEGER REFERENCES cashflow(id),
    amount_cents        INTEGER NOT NULL,
    date                INTEGER NOT NULL,
    period_start        INTEGER NOT NULL,         -- first day included (00:00 Paris)
    period_end          INTEGER NOT NULL,         -- last day included (00:00 Paris)
    pdf                 BLOB,                     -- generated once, never rewritten
    UNIQUE (batch_id, bank_account_id)
);
CREATE INDEX invoice_offerer_date ON invoice(offerer_id, date);
CREATE TRIGGER invoice_pdf_immutable BEFORE UPDATE OF pdf ON invoice
WHEN OLD.pdf IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an invoice PDF is never rewritten'); END;

-- One line per barème, rate and kind, as the justificatif shows them.
CREATE TABLE invoice_line (
    id                  INTEGER PRIMARY KEY,
    invoice_id          INTEGER NOT NULL REFERENCES invoice(id),
    rule                TEXT NOT NULL,
    custom_rule_id      INTEGER,
    rate_bp             INTEGER NOT NULL,         -- -1: a fixed amount per place
    is_incident         INTEGER NOT NULL DEFAULT 0,
    booked_cents        INTEGER NOT NULL,
    reimbursed_cents    INTEGER NOT NULL
);
CREATE INDEX invoice_line_invoice ON invoice_line(invoice_id);

-- The price of one event. validated: waits for a run; invoiced: paid; cancelled.
CREATE TABLE pricing (
    id                  INTEGER PRIMARY KEY,
    event_id            INTEGER NOT NULL REFERENCES finance_event(id),
    booking_id          INTEGER REFERENCES booking(id),
    collective_booking_id INTEGER,                -- a school group's booking (006)
    incident_id         INTEGER REFERENCES finance_incident(id),
    venue_id            INTEGER NOT NULL REFERENCES venue(id),
    pricing_point_id    INTEGER NOT NULL REFERENCES venue(id),
    status              TEXT NOT NULL CHECK (status IN ('validated', 'invoiced', 'cancelled')),
    value_date          INTEGER NOT NULL,
    ordering_date       INTEGER NOT NULL,
    year                INTEGER NOT NULL,         -- calendar year (Paris) of value_date
    booking_total_cents INTEGER NOT NULL,         -- what the booking adds to the revenue
    revenue_cents       INTEGER NOT NULL,         -- the year's revenue, this booking included
    rule                TEXT NOT NULL,
    custom_rule_id      INTEGER REFERENCES custom_reimbursement_rule(id),
    rate_bp             INTEGER NOT NULL,
    amount_cents        INTEGER NOT NULL,
    invoice_id          INTEGER REFERENCES invoice(id),
    created_at          INTEGER NOT NULL,
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
    year                INTEGER NOT NULL,         -- 0 when the sequence never restarts
    next_number         INTEGER NOT NULL,
    PRIMARY KEY (name, year)
);

-- The scheduled cut-offs already handled (paid, or found with nothing to pay), so that the
-- scheduler looks at each cut-off once.
CREATE TABLE finance_schedule (
    cutoff              INTEGER PRIMARY KEY,
    checked_at          INTEGER NOT NULL,
    batch_id            INTEGER REFERENCES cashflow_batch(id)
);
