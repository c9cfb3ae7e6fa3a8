CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`primary_phone` text NOT NULL,
	`channels` text DEFAULT '[]' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`first_name` text,
	`last_name` text,
	`full_name` text,
	`primary_email` text,
	`address` text,
	`city` text,
	`state` text,
	`zip` text,
	`occupation` text,
	`preferred_channel` text,
	`gender` text,
	`custom_attributes` text DEFAULT '{}' NOT NULL,
	`deleted_at` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_org_phone_live` ON `contacts` (`organization_id`,`primary_phone`) WHERE "contacts"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `contacts_org_created` ON `contacts` (`organization_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `custom_attributes` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`display_name` text NOT NULL,
	`description` text,
	`type` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_attributes_org_name_live` ON `custom_attributes` (`organization_id`,`name`) WHERE "custom_attributes"."deleted_at" IS NULL;--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`organization_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status` integer,
	`body` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	PRIMARY KEY(`organization_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_expires` ON `idempotency_keys` (`expires_at`);--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`default_country` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`source_id` text NOT NULL,
	`event_id` text,
	`status` text NOT NULL,
	`http_status` integer NOT NULL,
	`contact_id` text,
	`reason` text,
	`payload` text,
	`content_type` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `webhook_sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_event` ON `webhook_deliveries` (`organization_id`,`source_id`,`event_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_source` ON `webhook_deliveries` (`source_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhook_sources` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`provider` text NOT NULL,
	`token_hash` text NOT NULL,
	`secret` text,
	`field_map` text DEFAULT '{}' NOT NULL,
	`default_country` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_sources_token_hash_unique` ON `webhook_sources` (`token_hash`);--> statement-breakpoint
CREATE INDEX `webhook_sources_org` ON `webhook_sources` (`organization_id`,`created_at`);