-- Erasure (DELETE /api/contact/:id?erase=true) and every update of a searched field must leave no
-- trace of the old values in the search index: by default FTS5 only marks a deleted entry, and
-- its terms stay in the index's segments until they happen to be merged. secure-delete removes
-- them at once (SQLite 3.42+).
INSERT INTO `contacts_search` (`contacts_search`, `rank`) VALUES ('secure-delete', 1);
--> statement-breakpoint
-- Entries deleted before this migration: merged away once.
INSERT INTO `contacts_search` (`contacts_search`) VALUES ('optimize');
