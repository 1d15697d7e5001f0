-- Finance, what only SQLite says (the tables: common/005_finance.sql).

-- An invoice's PDF is written once.
CREATE TRIGGER invoice_pdf_immutable BEFORE UPDATE OF pdf ON invoice
WHEN OLD.pdf IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an invoice PDF is never rewritten'); END;
