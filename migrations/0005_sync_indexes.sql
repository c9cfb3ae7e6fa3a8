CREATE INDEX `contacts_org_live_updated` ON `contacts` (`organization_id`,`deleted_at`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_org_deleted` ON `contacts` (`organization_id`,`deleted_at`,`id`) WHERE "contacts"."deleted_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `contacts_deleted` ON `contacts` (`deleted_at`) WHERE "contacts"."deleted_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `webhook_deliveries_created` ON `webhook_deliveries` (`created_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_contact` ON `webhook_deliveries` (`contact_id`) WHERE "webhook_deliveries"."contact_id" IS NOT NULL;