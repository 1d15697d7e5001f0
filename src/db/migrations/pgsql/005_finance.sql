-- Finance, what only PostgreSQL says (the tables: common/005_finance.sql).

-- An invoice's PDF is written once.
CREATE FUNCTION invoice_pdf_written_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'an invoice PDF is never rewritten'; END $$;
CREATE TRIGGER invoice_pdf_immutable BEFORE UPDATE OF pdf ON invoice
    FOR EACH ROW WHEN (OLD.pdf IS NOT NULL) EXECUTE FUNCTION invoice_pdf_written_once();
