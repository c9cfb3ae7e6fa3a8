import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { CONTACT_TEXT_FIELD_NAMES, type ContactTextField, columnOf, GENDERS } from "../schemas/contact-fields";
import { ATTRIBUTE_TYPES } from "../schemas/custom-attribute";
import { IMPORT_OUTCOMES, IMPORT_ROW_STATUSES, IMPORT_STATUSES } from "../schemas/import-limits";
import { ATTEMPT_STATUSES, EVENT_TYPES } from "../schemas/webhook-endpoint";
import { WEBHOOK_PROVIDERS } from "../schemas/webhook-source";

// Timestamps are ISO 8601 strings with milliseconds: they sort as text and are
// returned to callers as stored, with no conversion on the hot path.
const timestamps = {
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
};

export const organizations = sqliteTable("organizations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** ISO 3166-1 alpha-2; lets national phone numbers be accepted. */
  defaultCountry: text("default_country"),
  createdAt: text("created_at").notNull(),
});

const textColumn = (field: string) => text(columnOf(field));
/** One nullable text column per field of the list, named in snake_case. */
const textColumns = Object.fromEntries(CONTACT_TEXT_FIELD_NAMES.map((field) => [field, textColumn(field)])) as {
  [F in ContactTextField]: ReturnType<typeof textColumn>;
};

export const contacts = sqliteTable(
  "contacts",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id),
    /** E.164. */
    primaryPhone: text("primary_phone").notNull(),
    /** JSON array of strings. */
    channels: text("channels").notNull().default("[]"),
    ...timestamps,
    ...textColumns,
    gender: text("gender", { enum: GENDERS }),
    /** JSON object. */
    customAttributes: text("custom_attributes").notNull().default("{}"),
    deletedAt: text("deleted_at"),
  },
  (t) => [
    // At most one live contact per organization and phone; a deleted contact frees its phone.
    uniqueIndex("contacts_org_phone_live").on(t.organizationId, t.primaryPhone).where(sql`${t.deletedAt} IS NULL`),
    index("contacts_org_created").on(t.organizationId, t.createdAt, t.id),
    // The sorted listings of GET /api/contact: `organization_id = ? AND deleted_at IS NULL` is an
    // equality prefix, so each is scanned in order with no sort step, and the total is counted
    // from the index alone. (A partial index WHERE deleted_at IS NULL would not do: SQLite still
    // reads every row to re-check deleted_at.)
    // Deep pages: OFFSET skips index entries only, never reading a skipped row to check deleted_at.
    index("contacts_org_live_created").on(t.organizationId, t.deletedAt, t.createdAt, t.id),
    index("contacts_org_live_first_name").on(t.organizationId, t.deletedAt, t.firstName, t.id),
    index("contacts_org_live_last_name").on(t.organizationId, t.deletedAt, t.lastName, t.id),
    index("contacts_org_live_email").on(t.organizationId, t.deletedAt, t.primaryEmail, t.id),
    // The sync feed (`sortBy=updatedAt`, `updatedAfter`).
    index("contacts_org_live_updated").on(t.organizationId, t.deletedAt, t.updatedAt, t.id),
    // The deleted feed (GET /api/contact/deleted): tombstones only, oldest first.
    index("contacts_org_deleted").on(t.organizationId, t.deletedAt, t.id).where(sql`${t.deletedAt} IS NOT NULL`),
    // The retention purge, across organizations: the oldest tombstones first.
    index("contacts_deleted").on(t.deletedAt).where(sql`${t.deletedAt} IS NOT NULL`),
  ],
);

export const customAttributes = sqliteTable(
  "custom_attributes",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id),
    name: text("name").notNull(),
    displayName: text("display_name").notNull(),
    description: text("description"),
    type: text("type", { enum: ATTRIBUTE_TYPES }).notNull(),
    ...timestamps,
    deletedAt: text("deleted_at"),
  },
  (t) => [
    uniqueIndex("custom_attributes_org_name_live").on(t.organizationId, t.name).where(sql`${t.deletedAt} IS NULL`),
  ],
);

export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    organizationId: text("organization_id").notNull(),
    key: text("key").notNull(),
    /** SHA-256 hex of method, path and body: the same key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    /** null while the first request is still running. */
    status: integer("status"),
    body: text("body"),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.key] }), index("idempotency_keys_expires").on(t.expiresAt)],
);

export const webhookSources = sqliteTable(
  "webhook_sources",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id),
    name: text("name").notNull(),
    provider: text("provider", { enum: WEBHOOK_PROVIDERS }).notNull(),
    /** SHA-256 hex of the intake token. */
    tokenHash: text("token_hash").notNull().unique(),
    /** Needed in clear to verify HMAC signatures. */
    secret: text("secret"),
    /** JSON object: provider field → contact field or customAttributes.<name>. */
    fieldMap: text("field_map").notNull().default("{}"),
    defaultCountry: text("default_country"),
    ...timestamps,
    revokedAt: text("revoked_at"),
    /** Rejected deliveries whose raw payload was dropped by the per-source cap (src/db/webhook-deliveries.ts). */
    droppedPayloads: integer("dropped_payloads").notNull().default(0),
  },
  (t) => [index("webhook_sources_org").on(t.organizationId, t.createdAt)],
);

export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull(),
    sourceId: text("source_id")
      .notNull()
      .references(() => webhookSources.id),
    /** The provider's event id, when it sends one. */
    eventId: text("event_id"),
    status: text("status", { enum: ["created", "updated", "duplicate", "rejected"] }).notNull(),
    httpStatus: integer("http_status").notNull(),
    contactId: text("contact_id"),
    /** Why a delivery was rejected (field paths and codes, never values). */
    reason: text("reason"),
    /** The raw payload of a rejected delivery, while it is among its source's newest stored ones (the cap). */
    payload: text("payload"),
    contentType: text("content_type"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event").on(t.organizationId, t.sourceId, t.eventId),
    index("webhook_deliveries_source").on(t.sourceId, t.createdAt),
    // Only the deliveries that still hold a payload: enforcing the cap walks cap + 1 entries at most, however long the log.
    // The retention purge (oldest entries first) and erasure (the entries of one contact).
    index("webhook_deliveries_created").on(t.createdAt),
    index("webhook_deliveries_contact").on(t.contactId).where(sql`${t.contactId} IS NOT NULL`),
    index("webhook_deliveries_stored_payloads").on(t.sourceId, t.createdAt, t.id).where(sql`${t.payload} IS NOT NULL`),
  ],
);

/** Where outbound events go (docs/webhooks.md#events-out). Disabled, never deleted: its attempt log stays readable. */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id),
    url: text("url").notNull(),
    description: text("description"),
    /** JSON array of event types. */
    events: text("events").notNull(),
    /** `whsec_…`, needed in clear to sign every delivery (as a webhook source keeps its secret). */
    secret: text("secret").notNull(),
    ...timestamps,
    disabledAt: text("disabled_at"),
  },
  (t) => [index("webhook_endpoints_org").on(t.organizationId, t.disabledAt)],
);

/**
 * The outbox: one row per event, written in the same D1 batch as the change it tells of, its
 * body exactly as it is sent. `dispatched_at` is set once the queue consumer has fanned it out to
 * the endpoints; the scheduled sweep re-enqueues older rows that still lack it.
 */
export const events = sqliteTable(
  "events",
  {
    /** UUIDv7; the `webhook-id` of every delivery of the event. */
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull(),
    type: text("type", { enum: EVENT_TYPES }).notNull(),
    contactId: text("contact_id").notNull(),
    /** The JSON body: `{ type, timestamp, data }`. */
    payload: text("payload").notNull(),
    createdAt: text("created_at").notNull(),
    dispatchedAt: text("dispatched_at"),
  },
  (t) => [
    index("events_undispatched").on(t.dispatchedAt, t.createdAt),
    index("events_contact").on(t.organizationId, t.contactId),
  ],
);

/** One row per attempt of one event at one endpoint: the deliveries log. */
export const eventAttempts = sqliteTable(
  "event_attempts",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id").notNull(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id),
    eventId: text("event_id").notNull(),
    type: text("type", { enum: EVENT_TYPES }).notNull(),
    attempt: integer("attempt").notNull(),
    status: text("status", { enum: ATTEMPT_STATUSES }).notNull(),
    /** The receiver's HTTP status; null when it could not be reached or did not answer in time. */
    responseStatus: integer("response_status"),
    durationMs: integer("duration_ms").notNull(),
    /** When a `pending` attempt will be followed by the next one. */
    nextAttemptAt: text("next_attempt_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("event_attempts_endpoint").on(t.endpointId, t.createdAt),
    // Erasure deletes an erased contact's attempts by its events' ids.
    index("event_attempts_event").on(t.eventId),
  ],
);

/**
 * A file import (docs/import.md): the uploaded file lives in R2 (`imports/<id>.csv`) until the
 * session is executed or expires; this row holds what the API answers about it.
 */
export const importSessions = sqliteTable(
  "import_sessions",
  {
    id: text("id").primaryKey(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id),
    status: text("status", { enum: IMPORT_STATUSES }).notNull(),
    fileName: text("file_name").notNull(),
    fileBytes: integer("file_bytes").notNull(),
    /** `,` or `;`, as detected at upload. */
    separator: text("separator").notNull(),
    hasHeaderRow: integer("has_header_row", { mode: "boolean" }).notNull(),
    /** Data rows (the header row excluded). */
    totalRows: integer("total_rows").notNull(),
    /** JSON array of `{ index, name }`. */
    columns: text("columns").notNull(),
    /** JSON array of `{ column, field }`, once validated. */
    columnMappings: text("column_mappings"),
    validRows: integer("valid_rows"),
    invalidRows: integer("invalid_rows"),
    newRows: integer("new_rows"),
    existingRows: integer("existing_rows"),
    processedRows: integer("processed_rows").notNull().default(0),
    created: integer("created").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    ...timestamps,
    /** After it, the session is gone (404) and the sweep deletes it; an executing session never expires. */
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("import_sessions_expires").on(t.expiresAt), index("import_sessions_status").on(t.status, t.updatedAt)],
);

/**
 * One row of an uploaded file, from validation on: its cells as uploaded, what validation found
 * (`status`, `field_errors`), and what execution did (`outcome`). `seq` numbers the data rows from
 * 0 (execution works through them in order); `line` is where the row starts in the file.
 */
export const importRows = sqliteTable(
  "import_rows",
  {
    sessionId: text("session_id").notNull(),
    seq: integer("seq").notNull(),
    line: integer("line").notNull(),
    status: text("status", { enum: IMPORT_ROW_STATUSES }).notNull(),
    /** JSON array of strings. */
    cells: text("cells").notNull(),
    /** JSON array of `{ path, code, message }`: why validation, or execution, refused the row. */
    fieldErrors: text("field_errors"),
    outcome: text("outcome", { enum: IMPORT_OUTCOMES }),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.seq] }),
    // The results, filtered by status, in file order.
    index("import_rows_status").on(t.sessionId, t.status, t.seq),
    // Execution's next rows: valid ones not yet written.
    index("import_rows_pending").on(t.sessionId, t.seq).where(sql`${t.outcome} IS NULL AND ${t.status} <> 'invalid'`),
  ],
);
