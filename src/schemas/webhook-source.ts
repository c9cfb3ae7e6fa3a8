import "../lib/docs";
import * as z from "zod";
import { isSupportedCountry, supportedCountries } from "../lib/phone";
import { SIGNING_PROVIDERS, STANDARD_WEBHOOKS_SECRET } from "../lib/signatures";
import { text, wholeNumber } from "./common";
import { ATTRIBUTE_NAME, contactCreateSchema } from "./contact";

export const WEBHOOK_PROVIDERS = ["typeform", "tally", "webflow", "jotform", "form", "json"] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

/** The contact fields a provider field can be mapped to (every input field but the attribute object). */
export const CONTACT_FIELD_TARGETS = contactCreateSchema.keyof().options.filter((f) => f !== "customAttributes");
export type ContactFieldTarget = (typeof CONTACT_FIELD_TARGETS)[number];

const ATTRIBUTE_TARGET = new RegExp(`^customAttributes\\.${ATTRIBUTE_NAME.source.slice(1)}`);

/** A fieldMap value: a contact field, or `customAttributes.<name>`. */
export function isFieldMapTarget(value: string): boolean {
  return (CONTACT_FIELD_TARGETS as string[]).includes(value) || ATTRIBUTE_TARGET.test(value);
}

const MAX_FIELD_MAP_ENTRIES = 100;
const MAX_FIELD_NAME = 256;

/**
 * Provider field (Typeform ref or id, Tally key or label, Webflow label, Jotform key, form field
 * name) → contact field or `customAttributes.<name>`.
 */
export const fieldMapSchema = z.preprocess(
  (v, ctx) => {
    // JSON.parse makes `__proto__` an own key, which zod's record would silently drop.
    if (v !== null && typeof v === "object" && Object.hasOwn(v, "__proto__")) {
      ctx.addIssue({ code: "custom", path: ["__proto__"], message: "reservedKey", params: { code: "reservedKey" } });
    }
    return v;
  },
  z
    .record(
      z.string().min(1).max(MAX_FIELD_NAME),
      z
        .string()
        .refine(isFieldMapTarget, { message: "invalidFieldMapTarget", params: { code: "invalidFieldMapTarget" } }),
    )
    .refine((map) => Object.keys(map).length <= MAX_FIELD_MAP_ENTRIES, {
      message: "tooManyFieldMapEntries",
      params: { code: "tooManyFieldMapEntries" },
    }),
);
export type FieldMap = z.infer<typeof fieldMapSchema>;

/**
 * `POST /api/webhook-sources`. A secret only makes sense for a provider that signs its
 * deliveries: a secret on another would reject every delivery, so it is refused up front.
 *
 * @example webhookSourceCreateSchema.parse({ name: "Website", provider: "typeform", secret: "s3cret" })
 */
export const webhookSourceCreateSchema = z
  .strictObject({
    name: text(64, { min: 1 }),
    provider: z.enum(WEBHOOK_PROVIDERS),
    // Not trimmed: the provider signs with the exact bytes.
    secret: z.string().min(1).max(512).nullable().optional(),
    fieldMap: fieldMapSchema
      .nullable()
      .optional()
      .meta({
        // What the generated schema of the record leaves out (it gave any string → any string).
        propertyNames: { minLength: 1, maxLength: MAX_FIELD_NAME, not: { const: "__proto__" } },
        maxProperties: MAX_FIELD_MAP_ENTRIES,
        additionalProperties: {
          anyOf: [
            { type: "string", enum: CONTACT_FIELD_TARGETS },
            { type: "string", pattern: ATTRIBUTE_TARGET.source },
          ],
        },
      }),
    defaultCountry: z
      .string()
      .trim()
      .toUpperCase()
      .refine((c) => /^[A-Z]{2}$/.test(c) && isSupportedCountry(c), {
        message: "unsupportedCountry",
        params: { code: "unsupportedCountry" },
      })
      .nullable()
      .optional()
      .meta({
        description: "ISO 3166-1 alpha-2 code of a country with phone numbering; stored upper-case.",
        // Read as the module is evaluated: only where the document is built. The Worker can read the
        // phone metadata only once a request has loaded it (src/bundle/phone-metadata.ts).
        ...(DOCS && { enum: [...supportedCountries(), null] }),
      }),
  })
  .superRefine((source, ctx) => {
    if (source.secret && !(SIGNING_PROVIDERS as readonly string[]).includes(source.provider)) {
      ctx.addIssue({
        code: "custom",
        path: ["secret"],
        message: "secretNotSupported",
        params: { code: "secretNotSupported" },
      });
    }
    // A `json` source verifies Standard Webhooks signatures: its secret is `whsec_` + base64 of at least 16 bytes.
    if (source.secret && source.provider === "json" && !isStandardWebhooksSecret(source.secret)) {
      ctx.addIssue({
        code: "custom",
        path: ["secret"],
        message: "invalidStandardWebhooksSecret",
        params: { code: "invalidStandardWebhooksSecret" },
      });
    }
  });

const isStandardWebhooksSecret = (secret: string) =>
  STANDARD_WEBHOOKS_SECRET.test(secret) && secret.length - "whsec_".length >= 24;
export type WebhookSourceCreateInput = z.infer<typeof webhookSourceCreateSchema>;

/** `GET /api/webhook-sources/:id/deliveries`. */
export const deliveryListQuerySchema = z.strictObject({
  page: wholeNumber(1).default(1),
  limit: wholeNumber(1, 100).default(20),
});
