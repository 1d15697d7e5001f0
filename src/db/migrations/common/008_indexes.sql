-- Indexes found missing by the tests' query-plan check (tests/http/harness.c): each one lets a
-- list or a look-up reach its rows without reading a whole table that grows with the country.

-- The activation code shown beside each booking of a digital offer (every booking list).
CREATE INDEX activation_code_booking ON activation_code(booking_id);
-- A venue's bookings (its first booking's email; the lists filtered by venue).
CREATE INDEX booking_venue ON booking(venue_id, created_at);
-- The teachers' catalogue: published collective offers, newest first.
CREATE INDEX collective_offer_status ON collective_offer(status, created_at);
-- The credit job looks only at wallets below the 18-year-old grant.
CREATE INDEX wallet_below_grant ON wallet(amount_cents) WHERE amount_cents < 15000;
-- The back office's lists over every structure, newest first.
CREATE INDEX invoice_date ON invoice(date);
CREATE INDEX collective_booking_created ON collective_booking(created_at);
