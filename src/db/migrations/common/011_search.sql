-- Accent- and case-insensitive search (docs/search.md): each searched name has its search key
-- beside it, written by the domain with pp_search_key (core/utf8.c pp_utf8_search_key) at
-- every write of the name. The fold is C code, not SQL (SQLite has no translate(), and the
-- two backends' lower() differ beyond ASCII), so this migration only adds the columns; the
-- rows already there are filled in C by pp_search_backfill right after the migration, at the
-- start of serve, migrate and demo.
--
-- The search is a contains search ('%musee%'): a B-tree index cannot serve it, so there is no
-- index on the keys; the searches keep the plans they had (their other conditions and LIMIT).
-- The partial indexes below hold only the rows still without a key: empty once filled, they
-- let the backfill find its rows without reading the tables.
ALTER TABLE offer ADD COLUMN name_search TEXT;
ALTER TABLE collective_offer ADD COLUMN name_search TEXT;
CREATE INDEX offer_name_search_missing ON offer(id) WHERE name_search IS NULL;
CREATE INDEX collective_offer_name_search_missing ON collective_offer(id)
    WHERE name_search IS NULL;
