CREATE TABLE `import_rows` (
	`session_id` text NOT NULL,
	`seq` integer NOT NULL,
	`line` integer NOT NULL,
	`status` text NOT NULL,
	`cells` text NOT NULL,
	`field_errors` text,
	`outcome` text,
	PRIMARY KEY(`session_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `import_rows_status` ON `import_rows` (`session_id`,`status`,`seq`);--> statement-breakpoint
CREATE INDEX `import_rows_pending` ON `import_rows` (`session_id`,`seq`) WHERE "import_rows"."outcome" IS NULL AND "import_rows"."status" <> 'invalid';--> statement-breakpoint
CREATE TABLE `import_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`status` text NOT NULL,
	`file_name` text NOT NULL,
	`file_bytes` integer NOT NULL,
	`separator` text NOT NULL,
	`has_header_row` integer NOT NULL,
	`total_rows` integer NOT NULL,
	`columns` text NOT NULL,
	`column_mappings` text,
	`valid_rows` integer,
	`invalid_rows` integer,
	`new_rows` integer,
	`existing_rows` integer,
	`processed_rows` integer DEFAULT 0 NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `import_sessions_expires` ON `import_sessions` (`expires_at`);--> statement-breakpoint
CREATE INDEX `import_sessions_status` ON `import_sessions` (`status`,`updated_at`);