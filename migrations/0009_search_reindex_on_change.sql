-- An update re-indexes a contact for search only when a searched value changed. SQLite fires an
-- `AFTER UPDATE OF <columns>` trigger whenever the statement's SET names one of them, changed or
-- not, and an upsert merge names every column: with secure-delete (migration 0006) each such
-- re-index rewrites index pages, which made an upsert of 1000 unchanged names cost ~1 s of SQLite
-- (npm run bench, row E). The WHEN clause keeps the index exact: it is rewritten whenever it would
-- hold something else.
DROP TRIGGER `contacts_search_au`;
--> statement-breakpoint
CREATE TRIGGER `contacts_search_au` AFTER UPDATE OF first_name, last_name, full_name, primary_phone, primary_email ON `contacts`
WHEN old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name OR old.full_name IS NOT new.full_name
	OR old.primary_phone IS NOT new.primary_phone OR old.primary_email IS NOT new.primary_email
BEGIN
	INSERT INTO `contacts_search` (`contacts_search`, rowid, first_name, last_name, full_name, primary_phone, primary_email)
	VALUES ('delete', old.rowid, old.first_name, old.last_name, old.full_name, old.primary_phone, old.primary_email);
	INSERT INTO `contacts_search` (rowid, first_name, last_name, full_name, primary_phone, primary_email)
	VALUES (new.rowid, new.first_name, new.last_name, new.full_name, new.primary_phone, new.primary_email);
END;
