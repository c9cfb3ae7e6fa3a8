import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STORED_PAYLOADS_PER_SOURCE } from "../../../src/db/webhook-deliveries";
import form from "../../fixtures/webhooks/form.json";
import jotform from "../../fixtures/webhooks/jotform.json";
import json from "../../fixtures/webhooks/json.json";
import tally from "../../fixtures/webhooks/tally.json";
import typeform from "../../fixtures/webhooks/typeform.json";
import webflow from "../../fixtures/webhooks/webflow.json";
import { api, createTenant, type Tenant } from "../../helpers";
import { createSource, deliver, hmac, tallySignature, typeformSignature, webflowHeaders } from "../../webhook-helpers";

const SECRET = "whsec_test_7c1f0b";
const JSON_TYPE = { "Content-Type": "application/json" };

type Answer = { contactId: string; status: string };
type ErrorBody = {
  code: string;
  message: string;
  deliveryId?: string;
  fieldErrors?: Record<string, string[]>;
  fieldDetails?: Record<string, { code: string }[]>;
};

async function contact(t: Tenant, id: string) {
  return env.DB.prepare("SELECT * FROM contacts WHERE id = ? AND organization_id = ?")
    .bind(id, t.organizationId)
    .first<Record<string, string | null>>();
}

async function count(sql: string, ...params: unknown[]): Promise<number> {
  return (
    (
      await env.DB.prepare(sql)
        .bind(...params)
        .first<{ n: number }>()
    )?.n ?? 0
  );
}

const deliveriesOf = async (t: Tenant, sourceId: string, query = "") =>
  (await (await api(`/api/webhook-sources/${sourceId}/deliveries${query}`, { key: t.key })).json()) as {
    data: Record<string, unknown>[];
    meta: { total: number };
  };

function multipart(fields: Record<string, unknown>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, String(value));
  return data;
}

describe("each provider's sample delivery creates the right contact", () => {
  it("Typeform, signed", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, {
      name: "Typeform",
      provider: "typeform",
      secret: SECRET,
      fieldMap: { readable_ref_city: "city", readable_ref_products: "customAttributes.products" },
    });
    const body = JSON.stringify(typeform);
    const res = await deliver(source.path, body, {
      ...JSON_TYPE,
      "Typeform-Signature": await typeformSignature(SECRET, body),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Answer;
    expect(answer.status).toBe("created");
    expect(await contact(t, answer.contactId)).toMatchObject({
      primary_phone: "+33612345678",
      first_name: "Laura",
      last_name: "Martin",
      full_name: "Laura Martin",
      primary_email: "laura.martin@example.com",
      city: "Lyon",
      custom_attributes: JSON.stringify({ products: ["CRM", "Call campaigns"] }),
    });
    const log = await deliveriesOf(t, source.id);
    expect(log.data[0]).toMatchObject({
      eventId: "01JD3Q8Z7K2N6M4P0R5S7T9W1X",
      status: "created",
      httpStatus: 200,
      contactId: answer.contactId,
      reason: null,
      payload: null,
      contentType: "application/json",
    });
  });

  it("Tally, signed", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, {
      name: "Tally",
      provider: "tally",
      secret: SECRET,
      fieldMap: { "How should we reach you?": "preferredChannel", Company: "customAttributes.company" },
    });
    const body = JSON.stringify(tally);
    const res = await deliver(source.path, body, {
      ...JSON_TYPE,
      "Tally-Signature": await tallySignature(SECRET, body),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Answer;
    expect(await contact(t, answer.contactId)).toMatchObject({
      primary_phone: "+212612345679",
      full_name: "Youssef El Amrani",
      primary_email: "youssef@example.com",
      preferred_channel: "whatsapp",
      custom_attributes: JSON.stringify({ company: "Atlas Logistics" }),
    });
  });

  it("Webflow, signed, its numeric phone read in the source's default country", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, {
      name: "Webflow",
      provider: "webflow",
      secret: SECRET,
      defaultCountry: "US",
    });
    const body = JSON.stringify(webflow);
    const res = await deliver(source.path, body, { ...JSON_TYPE, ...(await webflowHeaders(SECRET, body)) });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Answer;
    expect(await contact(t, answer.contactId)).toMatchObject({
      primary_phone: "+12015550123",
      first_name: "Zaphod",
      last_name: "Beeblebrox",
      primary_email: "zaphod@heartofgold.ai",
    });
  });

  it("Jotform, multipart with its answers in rawRequest", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, {
      name: "Jotform",
      provider: "jotform",
      defaultCountry: "US",
      fieldMap: { q7_howDid: "customAttributes.referral" },
    });
    const res = await deliver(source.path, multipart(jotform), {});
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Answer;
    expect(await contact(t, answer.contactId)).toMatchObject({
      primary_phone: "+12015550123",
      first_name: "Maria",
      last_name: "Garcia",
      full_name: "Maria Garcia",
      primary_email: "maria.garcia@example.com",
      address: "12 Harbor Street, Apt 4",
      city: "Hoboken",
      state: "NJ",
      zip: "07030",
      custom_attributes: JSON.stringify({ referral: "Google search" }),
    });
    expect((await deliveriesOf(t, source.id)).data[0]?.eventId).toBe("6012345678901234567");
  });

  it("a plain form, urlencoded or multipart, its national number read in the organization's default country", async () => {
    const t = await createTenant({ defaultCountry: "MA" });
    const source = await createSource(t.key, { name: "Site form", provider: "form" });
    const encoded = new URLSearchParams(form as Record<string, string>).toString();
    const first = await deliver(source.path, encoded, { "Content-Type": "application/x-www-form-urlencoded" });
    expect(first.status).toBe(200);
    const created = (await first.json()) as Answer;
    expect(created.status).toBe("created");
    expect(await contact(t, created.contactId)).toMatchObject({
      primary_phone: "+212612345680",
      full_name: "Amina Benali",
      primary_email: "amina.benali@example.com",
      city: "Rabat",
      custom_attributes: JSON.stringify({ source: "landing-page" }),
    });

    const again = await deliver(source.path, multipart({ ...form, occupation: "Architect" }), {});
    expect(await again.json()).toEqual({ contactId: created.contactId, status: "updated" });
    expect((await contact(t, created.contactId))?.occupation).toBe("Architect");
  });

  it("a JSON sender, with its own event id", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "CRM sync", provider: "json" });
    const res = await deliver(source.path, JSON.stringify(json));
    const answer = (await res.json()) as Answer;
    expect(answer.status).toBe("created");
    expect(await contact(t, answer.contactId)).toMatchObject({
      primary_phone: "+212661234567",
      first_name: "Omar",
      custom_attributes: JSON.stringify({ plan: "pro", seats: 12 }),
    });
  });
});

describe("signatures", () => {
  const cases = [
    {
      provider: "typeform",
      sign: async (body: string) => ({ "Typeform-Signature": await typeformSignature(SECRET, body) }),
      forge: async (body: string) => ({ "Typeform-Signature": await typeformSignature("guess", body) }),
      payload: typeform,
    },
    {
      provider: "tally",
      sign: async (body: string) => ({ "Tally-Signature": await tallySignature(SECRET, body) }),
      forge: async (body: string) => ({ "Tally-Signature": await tallySignature("guess", body) }),
      payload: tally,
    },
    {
      provider: "webflow",
      sign: (body: string) => webflowHeaders(SECRET, body),
      forge: (body: string) => webflowHeaders("guess", body),
      payload: webflow,
    },
  ] as const;

  for (const { provider, sign, forge, payload } of cases) {
    it(`${provider}: a missing, wrong or tampered signature is 401 and writes nothing`, async () => {
      const t = await createTenant({ defaultCountry: "US" });
      const source = await createSource(t.key, { name: provider, provider, secret: SECRET });
      const body = JSON.stringify(payload);
      const tampered = body.replace(/"\+\d+"|\d{11}/, '"+212612345600"');
      expect(tampered).not.toBe(body);
      for (const headers of [{}, await forge(body), await sign(body)]) {
        const res = await deliver(source.path, tampered, { ...JSON_TYPE, ...headers });
        expect(res.status).toBe(401);
        expect(((await res.json()) as ErrorBody).code).toBe("UNAUTHORIZED");
      }
      for (const headers of [{}, await forge(body)]) {
        expect((await deliver(source.path, body, { ...JSON_TYPE, ...headers })).status).toBe(401);
      }
      expect(await count("SELECT count(*) AS n FROM contacts WHERE organization_id = ?", t.organizationId)).toBe(0);
      expect(await count("SELECT count(*) AS n FROM webhook_deliveries WHERE source_id = ?", source.id)).toBe(0);
      expect((await deliver(source.path, body, { ...JSON_TYPE, ...(await sign(body)) })).status).toBe(200);
    });
  }

  it("webflow: a correctly signed delivery more than 5 minutes old is 401", async () => {
    const t = await createTenant({ defaultCountry: "US" });
    const source = await createSource(t.key, { name: "wf", provider: "webflow", secret: SECRET });
    const body = JSON.stringify(webflow);
    const stale = await webflowHeaders(SECRET, body, Date.now() - 6 * 60 * 1000);
    expect((await deliver(source.path, body, { ...JSON_TYPE, ...stale })).status).toBe(401);
    const future = await webflowHeaders(SECRET, body, Date.now() + 6 * 60 * 1000);
    expect((await deliver(source.path, body, { ...JSON_TYPE, ...future })).status).toBe(401);
  });

  it("a source without a secret takes unsigned deliveries", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "tf", provider: "typeform" });
    expect((await deliver(source.path, JSON.stringify(typeform))).status).toBe(200);
    const forged = await hmac("x", "y", "base64");
    expect(
      (await deliver(source.path, JSON.stringify(typeform), { ...JSON_TYPE, "Typeform-Signature": forged })).status,
    ).toBe(200);
  });
});

describe("redelivery", () => {
  it("changes nothing and answers the first contact as a duplicate", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "tf", provider: "typeform", secret: SECRET });
    const body = JSON.stringify(typeform);
    const headers = { ...JSON_TYPE, "Typeform-Signature": await typeformSignature(SECRET, body) };
    const first = (await (await deliver(source.path, body, headers)).json()) as Answer;
    const before = await contact(t, first.contactId);

    const again = await deliver(source.path, body, headers);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ contactId: first.contactId, status: "duplicate" });
    expect(await contact(t, first.contactId)).toEqual(before);
    expect(await count("SELECT count(*) AS n FROM webhook_deliveries WHERE source_id = ?", source.id)).toBe(1);
  });

  it("is recognised by event id even when the payload differs, and only within its source", async () => {
    const t = await createTenant();
    const a = await createSource(t.key, { name: "a", provider: "json" });
    const b = await createSource(t.key, { name: "b", provider: "json" });
    const first = (await (
      await deliver(a.path, JSON.stringify({ eventId: "e-1", phone: "+212612345604" }))
    ).json()) as Answer;
    const changed = await deliver(a.path, JSON.stringify({ eventId: "e-1", phone: "+212612345604", city: "Fes" }));
    expect(await changed.json()).toEqual({ contactId: first.contactId, status: "duplicate" });
    expect((await contact(t, first.contactId))?.city).toBeNull();
    const elsewhere = await deliver(b.path, JSON.stringify({ eventId: "e-1", phone: "+212612345604", city: "Fes" }));
    expect(await elsewhere.json()).toEqual({ contactId: first.contactId, status: "updated" });
  });

  it("deliveries without an event id are never deduplicated", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "f", provider: "form" });
    const body = "phone=%2B212612345605&city=Tangier";
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    expect(((await (await deliver(source.path, body, headers)).json()) as Answer).status).toBe("created");
    expect(((await (await deliver(source.path, body, headers)).json()) as Answer).status).toBe("updated");
    expect(await count("SELECT count(*) AS n FROM webhook_deliveries WHERE source_id = ?", source.id)).toBe(2);
  });

  it("under concurrent deliveries of one event, exactly one writes and the others answer duplicate", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "tally", provider: "tally" });
    const body = JSON.stringify(tally);
    const answers = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const res = await deliver(source.path, body);
        expect(res.status).toBe(200);
        return (await res.json()) as Answer;
      }),
    );
    expect(answers.map((a) => a.status).sort()).toEqual(["created", "duplicate", "duplicate", "duplicate"]);
    expect(new Set(answers.map((a) => a.contactId)).size).toBe(1);
    expect(await count("SELECT count(*) AS n FROM contacts WHERE organization_id = ?", t.organizationId)).toBe(1);
    expect(await count("SELECT count(*) AS n FROM webhook_deliveries WHERE source_id = ?", source.id)).toBe(1);
  });
});

describe("concurrent deliveries of different events for one new phone", () => {
  it("answer 1 created and 19 updated, all 200, one contact keeping every delivery's fields, 3 rounds in a row", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "json", provider: "json" });
    const outcomes: string[] = [];
    const contacts: { ids: string[]; attributes: unknown }[] = [];
    for (let round = 0; round < 3; round++) {
      const phone = `+21261234570${round}`;
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          deliver(
            source.path,
            JSON.stringify({ eventId: `r${round}-e${i}`, phone, customAttributes: { [`k${i}`]: i } }),
          ),
        ),
      );
      const answers = (await Promise.all(responses.map((r) => r.json()))) as (Answer & ErrorBody)[];
      outcomes.push(...responses.map((r, i) => `${r.status} ${answers[i]?.status ?? answers[i]?.code}`));
      const stored = await env.DB.prepare("SELECT id, custom_attributes FROM contacts WHERE primary_phone = ?")
        .bind(phone)
        .first<{ id: string; custom_attributes: string }>();
      contacts.push({
        ids: [...new Set([stored?.id, ...answers.map((a) => a.contactId)])] as string[],
        attributes: JSON.parse(stored?.custom_attributes ?? "{}"),
      });
    }
    const counts = Object.fromEntries(
      Object.entries(Object.groupBy(outcomes, (o) => o)).map(([o, l]) => [o, l?.length]),
    );
    expect(counts).toEqual({ "200 created": 3, "200 updated": 57 });
    // One contact per round, the one every answer names, holding the 20 deliveries' attributes.
    const all = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    expect(contacts).toEqual(Array(3).fill({ ids: [expect.any(String)], attributes: all }));
    const log = await env.DB.prepare(
      "SELECT d.status, count(*) AS n FROM webhook_deliveries d JOIN contacts c ON c.id = d.contact_id WHERE d.source_id = ? GROUP BY d.status",
    )
      .bind(source.id)
      .all<{ status: string; n: number }>();
    expect(log.results.sort((a, b) => a.status.localeCompare(b.status))).toEqual([
      { status: "created", n: 3 },
      { status: "updated", n: 57 },
    ]);
  });
});

describe("a delivery that cannot become a contact", () => {
  it("is 422 with the reason, and its raw payload is kept in the delivery log", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "tally", provider: "tally" });
    const payload = structuredClone(tally) as { data: { fields: { type: string }[] } };
    payload.data.fields = payload.data.fields.filter((f) => f.type !== "INPUT_PHONE_NUMBER");
    const body = JSON.stringify(payload);

    const res = await deliver(source.path, body);
    expect(res.status).toBe(422);
    const error = (await res.json()) as ErrorBody;
    expect(error).toMatchObject({
      code: "UNPROCESSABLE_DELIVERY",
      fieldDetails: { primaryPhone: [{ code: "isNotEmpty" }] },
    });
    expect(error.message).toContain("primaryPhone");
    expect(JSON.stringify(error)).not.toContain("youssef");

    const log = await deliveriesOf(t, source.id);
    expect(log.data[0]).toEqual({
      id: error.deliveryId,
      sourceId: source.id,
      eventId: "a4cb511e-d513-4fa5-baee-b815d718dfd1",
      status: "rejected",
      httpStatus: 422,
      contactId: null,
      reason: error.message,
      fieldErrors: error.fieldErrors,
      fieldDetails: error.fieldDetails,
      contentType: "application/json",
      payload: body,
      createdAt: expect.any(String),
    });

    const again = await deliver(source.path, body);
    expect(again.status).toBe(422);
    expect(await again.json()).toMatchObject({
      code: "UNPROCESSABLE_DELIVERY",
      deliveryId: error.deliveryId,
      message: error.message,
      fieldDetails: error.fieldDetails,
    });
    expect((await deliveriesOf(t, source.id)).meta.total).toBe(1);
    expect(await count("SELECT count(*) AS n FROM contacts WHERE organization_id = ?", t.organizationId)).toBe(0);
  });

  it("is logged once under concurrent deliveries of one rejected event", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "json", provider: "json" });
    const body = JSON.stringify({ eventId: "no-phone-1", email: "a@example.com" });
    const responses = await Promise.all(Array.from({ length: 3 }, () => deliver(source.path, body)));
    const errors = (await Promise.all(responses.map((r) => r.json()))) as ErrorBody[];
    expect(responses.map((r) => r.status)).toEqual([422, 422, 422]);
    expect(errors.map((e) => e.code)).toEqual(Array(3).fill("UNPROCESSABLE_DELIVERY"));
    expect(await count("SELECT count(*) AS n FROM webhook_deliveries WHERE source_id = ?", source.id)).toBe(1);
  });

  it("is a kept 422 when the attributes it merges into the contact would break a limit", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "json", provider: "json" });
    const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    const first = await deliver(source.path, JSON.stringify({ phone: "+212612345690", customAttributes: hundred }));
    const { contactId } = (await first.json()) as Answer;
    const body = JSON.stringify({ phone: "+212612345690", city: "Fes", customAttributes: { k100: 1 } });
    const res = await deliver(source.path, body);
    expect(res.status).toBe(422);
    const error = (await res.json()) as ErrorBody;
    expect(error.fieldDetails).toEqual({ customAttributes: [{ code: "tooManyAttributes" }] });
    expect((await deliveriesOf(t, source.id)).data[0]).toMatchObject({ id: error.deliveryId, payload: body });
    expect(await contact(t, contactId)).toMatchObject({ city: null });
  });

  it("keeps its payload among the source's newest 1,000 stored ones; beyond, the oldest loses its payload, counted on the source", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "json", provider: "json" });
    // 1,000 rejected deliveries already logged, the oldest first, written straight to D1.
    await env.DB.prepare(
      `INSERT INTO webhook_deliveries (id, organization_id, source_id, status, http_status, reason, payload, created_at)
       SELECT printf('00000000-0000-7000-8000-%012d', value), ?, ?, 'rejected', 422, NULL, '{"old":' || value || '}',
              strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || value || ' seconds')
       FROM json_each(?)`,
    )
      .bind(
        t.organizationId,
        source.id,
        JSON.stringify(Array.from({ length: STORED_PAYLOADS_PER_SOURCE }, (_, i) => i)),
      )
      .run();
    const sourceOf = async () =>
      (await (await api(`/api/webhook-sources/${source.id}`, { key: t.key })).json()) as { droppedPayloads: number };
    expect(await sourceOf()).toMatchObject({ droppedPayloads: 0 });

    const body = JSON.stringify({ email: "no-phone@example.com" });
    const error = (await (await deliver(source.path, body)).json()) as ErrorBody;
    const log = await deliveriesOf(t, source.id, "?limit=100");
    expect(log.meta.total).toBe(STORED_PAYLOADS_PER_SOURCE + 1);
    expect(log.data[0]).toMatchObject({ id: error.deliveryId, payload: body });
    expect(
      await count(
        "SELECT count(*) AS n FROM webhook_deliveries WHERE source_id = ? AND payload IS NOT NULL",
        source.id,
      ),
    ).toBe(STORED_PAYLOADS_PER_SOURCE);
    const oldest = await env.DB.prepare(
      "SELECT status, reason, payload FROM webhook_deliveries WHERE id = '00000000-0000-7000-8000-000000000000'",
    ).first();
    expect(oldest).toEqual({ status: "rejected", reason: null, payload: null });
    expect(await sourceOf()).toMatchObject({ droppedPayloads: 1 });
  });

  it("lists every invalid field, phone rules included, without echoing a value", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "json", provider: "json" });
    const res = await deliver(source.path, JSON.stringify({ phone: "0612345678", email: "not-an-email", gender: "x" }));
    expect(res.status).toBe(422);
    const error = (await res.json()) as ErrorBody;
    expect(error.fieldDetails).toEqual({
      primaryEmail: [{ code: "isEmail" }],
      primaryPhone: [{ code: "missingCountryCode" }],
    });
    expect(JSON.stringify(error)).not.toMatch(/0612345678|not-an-email/);
  });

  it("keeps a body that is not JSON, answering 400 INVALID_JSON", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "json", provider: "json" });
    const res = await deliver(source.path, '{"phone": "+2126123');
    expect(res.status).toBe(400);
    const error = (await res.json()) as ErrorBody;
    expect(error.code).toBe("INVALID_JSON");
    const [row] = (await deliveriesOf(t, source.id)).data;
    expect(row).toMatchObject({
      id: error.deliveryId,
      status: "rejected",
      httpStatus: 400,
      payload: '{"phone": "+2126123',
    });
  });

  it("never clears a field with an empty answer", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "f", provider: "form" });
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    const first = (await (await deliver(source.path, "phone=%2B212612345606&city=Agadir", headers)).json()) as Answer;
    await deliver(source.path, "phone=%2B212612345606&city=&name=Sara", headers);
    expect(await contact(t, first.contactId)).toMatchObject({ city: "Agadir", full_name: "Sara" });
  });
});

describe("typed custom attributes", () => {
  it("form text is read as the defined type, and a value that does not fit is a kept 422", async () => {
    const t = await createTenant();
    for (const [displayName, type] of [
      ["Seats", "number"],
      ["Newsletter", "boolean"],
    ]) {
      const res = await api("/api/custom-attributes", { method: "POST", key: t.key, json: { displayName, type } });
      expect(res.status).toBe(201);
    }
    const source = await createSource(t.key, {
      name: "f",
      provider: "form",
      fieldMap: { seats: "customAttributes.seats", newsletter: "customAttributes.newsletter" },
    });
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    const ok = await deliver(source.path, "phone=%2B212612345612&seats=12&newsletter=on", headers);
    const answer = (await ok.json()) as Answer;
    expect((await contact(t, answer.contactId))?.custom_attributes).toBe(
      JSON.stringify({ seats: 12, newsletter: true }),
    );

    const bad = await deliver(source.path, "phone=%2B212612345613&seats=a+dozen", headers);
    expect(bad.status).toBe(422);
    const error = (await bad.json()) as ErrorBody;
    expect(error.fieldDetails).toEqual({ "customAttributes.seats": [{ code: "attributeType" }] });
    const [logged] = (await deliveriesOf(t, source.id)).data;
    expect(logged).toMatchObject({ status: "rejected", payload: "phone=%2B212612345613&seats=a+dozen" });
  });
});

describe("transport", () => {
  it("answers 415 to other media types and writes nothing", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "j", provider: "json" });
    const variants: Record<string, string>[] = [{ "Content-Type": "text/plain" }, {}, { "Content-Type": "text/xml" }];
    for (const headers of variants) {
      const res = await api(source.path, {
        method: "POST",
        body: new TextEncoder().encode("phone=+212612345607"),
        headers,
      });
      expect(res.status).toBe(415);
      expect(((await res.json()) as ErrorBody).code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    expect(await count("SELECT count(*) AS n FROM webhook_deliveries WHERE source_id = ?", source.id)).toBe(0);
  });

  it("answers 413 past 256 KB, counting the bytes actually read", async () => {
    const t = await createTenant();
    const source = await createSource(t.key, { name: "j", provider: "json" });
    const big = JSON.stringify({ phone: "+212612345608", note: "x".repeat(256 * 1024) });
    expect((await deliver(source.path, big)).status).toBe(413);
    const stream = new Blob([big]).stream();
    const res = await api(source.path, { method: "POST", body: stream, headers: JSON_TYPE });
    expect(res.status).toBe(413);
    const fits = JSON.stringify({ phone: "+212612345608", note: "x".repeat(200 * 1024) });
    expect((await deliver(source.path, fits)).status).toBe(200);
  });

  it("answers 404 to an unknown or malformed token, and 405 to another method", async () => {
    expect((await deliver(`/hooks/whk_${"A".repeat(32)}`, "{}")).status).toBe(404);
    expect((await deliver("/hooks/nope", "{}")).status).toBe(404);
    const t = await createTenant();
    const source = await createSource(t.key, { name: "j", provider: "json" });
    const res = await api(source.path);
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
  });
});

describe("organizations", () => {
  it("a delivery lands in the source's organization only, and its log is not visible to others", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const phone = "+212612345609";
    const theirs = await api("/api/contact", {
      method: "POST",
      key: b.key,
      json: { primaryPhone: phone, city: "Oujda" },
    });
    const bContact = (await theirs.json()) as { id: string; updatedAt: string };

    const source = await createSource(a.key, { name: "a", provider: "json" });
    const answer = (await (await deliver(source.path, JSON.stringify({ phone, city: "Meknes" }))).json()) as Answer;
    expect(answer.status).toBe("created");
    expect(answer.contactId).not.toBe(bContact.id);
    expect(await contact(a, answer.contactId)).toMatchObject({ city: "Meknes" });
    expect(await contact(b, bContact.id)).toMatchObject({ city: "Oujda", updated_at: bContact.updatedAt });
    expect((await api(`/api/webhook-sources/${source.id}/deliveries`, { key: b.key })).status).toBe(404);
    expect(((await (await api("/api/webhook-sources", { key: b.key })).json()) as unknown[]).length).toBe(0);
  });

  it("the source's default country wins over the organization's", async () => {
    const t = await createTenant({ defaultCountry: "MA" });
    const source = await createSource(t.key, { name: "fr", provider: "form", defaultCountry: "FR" });
    const res = await deliver(source.path, "tel=06+12+34+56+81", {
      "Content-Type": "application/x-www-form-urlencoded",
    });
    const answer = (await res.json()) as Answer;
    expect((await contact(t, answer.contactId))?.primary_phone).toBe("+33612345681");
  });
});

describe("no delivery produces a 500", () => {
  it("for arbitrary JSON, form and byte bodies", async () => {
    const t = await createTenant({ defaultCountry: "MA" });
    const sources = await Promise.all(
      (["json", "typeform", "jotform"] as const).map((provider) => createSource(t.key, { name: provider, provider })),
    );
    const bodies = fc.oneof(
      fc.jsonValue().map((v) => ({ body: JSON.stringify(v) as BodyInit, type: "application/json" })),
      fc.string().map((s) => ({ body: s as BodyInit, type: "application/json" })),
      fc.dictionary(fc.constantFrom("phone", "email", "name", "rawRequest", "eventId", "x"), fc.string()).map((d) => ({
        body: new URLSearchParams(d).toString() as BodyInit,
        type: "application/x-www-form-urlencoded",
      })),
      fc.uint8Array().map((b) => ({ body: b as BodyInit, type: "multipart/form-data; boundary=x" })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sources), bodies, async (source, { body, type }) => {
        const res = await deliver(source.path, body, { "Content-Type": type });
        expect([200, 400, 422]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });
});
