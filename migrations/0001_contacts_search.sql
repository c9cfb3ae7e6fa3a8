-- Substring search over names, phone and e-mail (GET /api/contact?search=) without a table scan.
-- drizzle-kit does not model virtual tables or triggers, hence this hand-written migration.
-- The trigram tokenizer matches any substring of 3+ characters, case-insensitively.
CREATE VIRTUAL TABLE `contacts_search` USING fts5(
	`first_name`, `last_name`, `full_name`, `primary_phone`, `primary_email`,
	content='contacts', content_rowid='rowid', tokenize='trigram'
);
--> statement-breakpoint
CREATE TRIGGER `contacts_search_ai` AFTER INSERT ON `contacts` BEGIN
	INSERT INTO `contacts_search` (rowid, first_name, last_name, full_name, primary_phone, primary_email)
	VALUES (new.rowid, new.first_name, new.last_name, new.full_name, new.primary_phone, new.primary_email);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_search_ad` AFTER DELETE ON `contacts` BEGIN
	INSERT INTO `contacts_search` (`contacts_search`, rowid, first_name, last_name, full_name, primary_phone, primary_email)
	VALUES ('delete', old.rowid, old.first_name, old.last_name, old.full_name, old.primary_phone, old.primary_email);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_search_au` AFTER UPDATE OF first_name, last_name, full_name, primary_phone, primary_email ON `contacts` BEGIN
	INSERT INTO `contacts_search` (`contacts_search`, rowid, first_name, last_name, full_name, primary_phone, primary_email)
	VALUES ('delete', old.rowid, old.first_name, old.last_name, old.full_name, old.primary_phone, old.primary_email);
	INSERT INTO `contacts_search` (rowid, first_name, last_name, full_name, primary_phone, primary_email)
	VALUES (new.rowid, new.first_name, new.last_name, new.full_name, new.primary_phone, new.primary_email);
END;
