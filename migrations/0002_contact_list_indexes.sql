CREATE INDEX `contacts_org_live_first_name` ON `contacts` (`organization_id`,`deleted_at`,`first_name`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_org_live_last_name` ON `contacts` (`organization_id`,`deleted_at`,`last_name`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_org_live_email` ON `contacts` (`organization_id`,`deleted_at`,`primary_email`,`id`);