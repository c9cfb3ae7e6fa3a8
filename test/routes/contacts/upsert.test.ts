import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../../src/db/client";
import { upsertContacts } from "../../../src/services/upsert";
import { spyD1 } from "../../d1-spy";
import { api, createTenant, freshPhone } from "../../helpers";

const upsert = (key: string, data: unknown[]) => api("/api/contact/upsert", { method: "POST", key, json: { data } });

async function rowsOf(organizationId: string) {
  const { results } = await env.DB.prepare(
    "SELECT id, primary_phone, first_name, city, custom_attributes, deleted_at FROM contacts WHERE organization_id = ? ORDER BY id",
  )
    .bind(organizationId)
    .all<Record<string, string | null>>();
  return results;
}

describe("POST /api/contact/upsert", () => {
  it("creates new contacts and updates matched ones, answering in input order", async () => {
    const t = await createTenant();
    const existing = await api("/api/contact", {
      method: "POST",
      key: t.key,
      json: { primaryPhone: "+33 6 12 34 56 78", firstName: "Ann", city: "Paris", customAttributes: { a: 1, b: 2 } },
    });
    const before = (await existing.json()) as { id: string; createdAt: string; updatedAt: string };

    const res = await upsert(t.key, [
      { primaryPhone: "+212612345678", firstName: "New" },
      { primaryPhone: "0033612345678", lastName: "Smith", city: null, customAttributes: { b: null, c: 3 } },
    ]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, unknown>[]; meta: unknown };
    expect(body.meta).toEqual({ created: 1, updated: 1, total: 2 });
    expect(body.data[0]).toMatchObject({ primaryPhone: "+212612345678", firstName: "New", fullName: "New" });
    expect(body.data[1]).toMatchObject({
      id: before.id,
      primaryPhone: "+33612345678",
      firstName: "Ann",
      lastName: "Smith",
      fullName: "Ann Smith",
      city: null,
      customAttributes: { a: 1, c: 3 },
      createdAt: before.createdAt,
    });
    expect(body.data[1]?.updatedAt).not.toBe(before.updatedAt);
    expect(await rowsOf(t.organizationId)).toHaveLength(2);
  });

  it("merges the same phone twice in one batch in order, into one contact", async () => {
    const t = await createTenant();
    const phone = freshPhone();
    const res = await upsert(t.key, [
      { primaryPhone: phone, firstName: "One", city: "Lyon" },
      { primaryPhone: phone, firstName: "Two", zip: "69000" },
    ]);
    const body = (await res.json()) as {
      data: { id: string; firstName: string; city: string; zip: string }[];
      meta: unknown;
    };
    expect(body.meta).toEqual({ created: 1, updated: 1, total: 2 });
    expect(body.data[0]?.id).toBe(body.data[1]?.id);
    expect(body.data[1]).toMatchObject({ firstName: "Two", city: "Lyon", zip: "69000" });
    expect(await rowsOf(t.organizationId)).toHaveLength(1);
  });

  it("validates every item first and writes nothing when any is invalid", async () => {
    const t = await createTenant();
    const res = await upsert(t.key, [
      { primaryPhone: freshPhone(), firstName: "Fine" },
      { primaryPhone: "not a phone" },
      { primaryPhone: freshPhone(), nickname: "x", gender: "other" },
      { firstName: "No phone" },
    ]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; fieldErrors: Record<string, string[]> };
    expect(body.code).toBe("VALIDATION_FAILED");
    expect(Object.keys(body.fieldErrors).sort()).toEqual([
      "data.1.primaryPhone",
      "data.2.gender",
      "data.2.nickname",
      "data.3.primaryPhone",
    ]);
    expect(await rowsOf(t.organizationId)).toHaveLength(0);
  });

  it("reports phone errors of every item, keyed by index, and writes nothing", async () => {
    const t = await createTenant();
    const res = await upsert(t.key, [
      { primaryPhone: freshPhone() },
      { primaryPhone: "0612345678" },
      { primaryPhone: "+1 555" },
    ]);
    const body = (await res.json()) as { fieldDetails: Record<string, { code: string }[]> };
    expect(res.status).toBe(400);
    expect(body.fieldDetails).toEqual({
      "data.1.primaryPhone": [{ code: "missingCountryCode" }],
      "data.2.primaryPhone": [{ code: "invalidPhone" }],
    });
    expect(await rowsOf(t.organizationId)).toHaveLength(0);
  });

  it("refuses an empty batch and one over 1000 items", async () => {
    const t = await createTenant();
    expect((await upsert(t.key, [])).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({
      primaryPhone: `+3361${String(1_000_000 + i).slice(-7)}`,
    }));
    const res = await upsert(t.key, tooMany);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { fieldDetails: object }).fieldDetails).toEqual({ data: [{ code: "arrayMaxSize" }] });
  });

  it("creates 1000 new contacts in one request, then updates all 1000 in another", async () => {
    const t = await createTenant();
    const items = Array.from({ length: 1000 }, (_, i) => ({
      primaryPhone: `+3361${String(1_000_000 + i).slice(-7)}`,
      firstName: `First${i}`,
      lastName: "Bulk",
      primaryEmail: `bulk${i}@example.com`,
      customAttributes: { batch: 1, tags: ["a", "b"] },
    }));
    const first = await upsert(t.key, items);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { meta: unknown }).meta).toEqual({ created: 1000, updated: 0, total: 1000 });

    const second = await upsert(
      t.key,
      items.map((item) => ({ primaryPhone: item.primaryPhone, city: "Nantes", customAttributes: { batch: 2 } })),
    );
    expect(second.status).toBe(200);
    const body = (await second.json()) as {
      data: { city: string; firstName: string; customAttributes: object }[];
      meta: unknown;
    };
    expect(body.meta).toEqual({ created: 0, updated: 1000, total: 1000 });
    expect(body.data[999]).toMatchObject({
      city: "Nantes",
      firstName: "First999",
      customAttributes: { batch: 2, tags: ["a", "b"] },
    });
    const rows = await rowsOf(t.organizationId);
    expect(rows).toHaveLength(1000);
    expect(rows.every((r) => r.city === "Nantes")).toBe(true);
  });

  it("is atomic: a batch that fails part-way leaves no rows", async () => {
    const t = await createTenant();
    const db = getDb(env.DB);
    const failing = () => [db.run("INSERT INTO no_such_table VALUES (1)" as never)];
    const items = [
      { primaryPhone: freshPhone(), firstName: "A" },
      { primaryPhone: freshPhone(), firstName: "B" },
    ];
    await expect(upsertContacts(db, t.organizationId, items, failing)).rejects.toThrow();
    expect(await rowsOf(t.organizationId)).toHaveLength(0);
  });

  it.each([
    ["a contact it read is edited", true, false],
    ["a contact is created with a phone it creates", false, true],
  ])("runs again from a fresh read when %s between its read and its write", async (_, edit, create) => {
    const t = await createTenant();
    const existing = freshPhone();
    const appearing = freshPhone();
    await upsert(t.key, [{ primaryPhone: existing, firstName: "Before", city: "Lyon" }]);
    const later = new Date(Date.now() + 1000).toISOString();
    const racing = [
      ...(edit
        ? [
            env.DB.prepare("UPDATE contacts SET city = 'Paris', updated_at = ? WHERE primary_phone = ?").bind(
              later,
              existing,
            ),
          ]
        : []),
      ...(create
        ? [
            env.DB.prepare(
              "INSERT INTO contacts (id, organization_id, primary_phone, created_at, updated_at, first_name) VALUES (?, ?, ?, ?, ?, 'Other')",
            ).bind(crypto.randomUUID(), t.organizationId, appearing, later, later),
          ]
        : []),
    ];
    let raced = false;
    // Just before the upsert's first write batch, another writer gets in.
    const racingD1 = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === "batch" && !raced) {
          return async (statements: D1PreparedStatement[]) => {
            raced = true;
            await target.batch(racing);
            return target.batch(statements);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const result = await upsertContacts(getDb(racingD1), t.organizationId, [
      { primaryPhone: existing, firstName: "After" },
      { primaryPhone: appearing, lastName: "Mine" },
    ]);
    expect(raced).toBe(true);
    expect(result.outcomes).toEqual(["updated", create ? "updated" : "created"]);
    expect(result.data[0]).toMatchObject({ firstName: "After", city: edit ? "Paris" : "Lyon" });
    expect(result.data[1]).toMatchObject({ firstName: create ? "Other" : null, lastName: "Mine" });
    expect(await rowsOf(t.organizationId)).toHaveLength(2);
  });

  it("does not resurrect a deleted contact: its phone gets a new contact", async () => {
    const t = await createTenant();
    const phone = freshPhone();
    const created = (await (await upsert(t.key, [{ primaryPhone: phone }])).json()) as { data: { id: string }[] };
    await env.DB.prepare("UPDATE contacts SET deleted_at = ? WHERE id = ?")
      .bind(new Date().toISOString(), created.data[0]?.id)
      .run();
    const again = (await (await upsert(t.key, [{ primaryPhone: phone, firstName: "Back" }])).json()) as {
      data: { id: string }[];
      meta: unknown;
    };
    expect(again.meta).toEqual({ created: 1, updated: 0, total: 1 });
    expect(again.data[0]?.id).not.toBe(created.data[0]?.id);
    const rows = await rowsOf(t.organizationId);
    expect(rows.filter((r) => r.deleted_at === null)).toHaveLength(1);
  });

  it("leaves other organizations' contacts with the same phone alone", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const phone = freshPhone();
    await upsert(a.key, [{ primaryPhone: phone, firstName: "A" }]);
    const res = await upsert(b.key, [{ primaryPhone: phone, firstName: "B" }]);
    expect(((await res.json()) as { meta: unknown }).meta).toEqual({ created: 1, updated: 0, total: 1 });
    expect((await rowsOf(a.organizationId))[0]?.first_name).toBe("A");
    expect((await rowsOf(b.organizationId))[0]?.first_name).toBe("B");
  });

  it("checks typed custom attributes of every item, keyed by index", async () => {
    const t = await createTenant();
    const def = await api("/api/custom-attributes", {
      method: "POST",
      key: t.key,
      json: { displayName: "Age", type: "number" },
    });
    expect(def.status).toBe(201);
    const res = await upsert(t.key, [
      { primaryPhone: freshPhone(), customAttributes: { age: 30 } },
      { primaryPhone: freshPhone(), customAttributes: { age: "thirty" } },
    ]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { fieldDetails: object }).fieldDetails).toEqual({
      "data.1.customAttributes.age": [{ code: "attributeType" }],
    });
    expect(await rowsOf(t.organizationId)).toHaveLength(0);
  });

  it("honours Idempotency-Key: a retry replays the first answer and writes nothing", async () => {
    const t = await createTenant();
    const phone = freshPhone();
    const send = (data: unknown[]) =>
      api("/api/contact/upsert", {
        method: "POST",
        key: t.key,
        json: { data },
        headers: { "Idempotency-Key": "sync-42" },
      });
    const first = await send([{ primaryPhone: phone, firstName: "Once" }]);
    expect(first.status).toBe(200);
    const firstBody = await first.text();
    const retry = await send([{ primaryPhone: phone, firstName: "Once" }]);
    expect(retry.status).toBe(200);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await retry.text()).toBe(firstBody);
    const rows = await rowsOf(t.organizationId);
    expect(rows).toHaveLength(1);
    const { updated_at } = (await env.DB.prepare("SELECT updated_at FROM contacts WHERE id = ?")
      .bind(rows[0]?.id)
      .first()) as {
      updated_at: string;
    };
    expect(JSON.parse(firstBody).data[0].updatedAt).toBe(updated_at);
    const other = await send([{ primaryPhone: phone, firstName: "Twice" }]);
    expect(other.status).toBe(422);
    expect(((await other.json()) as { code: string }).code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("answers 413 past 2 MB", async () => {
    const t = await createTenant();
    const big = "x".repeat(2 * 1024 * 1024);
    const res = await api("/api/contact/upsert", {
      method: "POST",
      key: t.key,
      body: `{"data":[{"primaryPhone":"${big}"}]}`,
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(413);
  });
});

/** Runs `write` (as another request would) just before each of the first `times` batches that write contacts. */
function raceBeforeWrites(write: () => Promise<unknown>, times: number) {
  let round = 0;
  return getDb(
    spyD1(env.DB, async (sqls) => {
      if (sqls.some((sql) => /^insert into "contacts"/.test(sql)) && round++ < times) await write();
    }),
  );
}

describe("upserts that race other writes", () => {
  it("runs again from a fresh read, with backoff, past 3 lost races, and loses no one's change", async () => {
    const t = await createTenant();
    const phone = freshPhone();
    const [first] = (await upsertContacts(getDb(env.DB), t.organizationId, [{ primaryPhone: phone }])).data;
    let lost = 0;
    const db = raceBeforeWrites(async () => {
      lost += 1;
      await upsertContacts(getDb(env.DB), t.organizationId, [
        { primaryPhone: phone, customAttributes: { [`other${lost}`]: lost } },
      ]);
    }, 5);
    const result = await upsertContacts(db, t.organizationId, [{ primaryPhone: phone, city: "Fes" }]);
    expect(lost).toBe(5);
    expect(result).toMatchObject({ outcomes: ["updated"], meta: { created: 0, updated: 1, total: 1 } });
    expect(result.data[0]).toMatchObject({
      id: first?.id,
      city: "Fes",
      customAttributes: { other1: 1, other2: 2, other3: 3, other4: 4, other5: 5 },
    });
    expect((await rowsOf(t.organizationId))[0]).toMatchObject({ city: "Fes" });
  });

  it("answers 503, not 409, and writes nothing when it still loses once its time budget is spent", async () => {
    const t = await createTenant();
    const phone = freshPhone();
    // Every attempt loses: a contact with the phone appears just before each batch, and is deleted after it.
    const db = getDb(
      spyD1(env.DB, async (sqls) => {
        if (!sqls.some((sql) => /^insert into "contacts"/.test(sql))) return;
        await env.DB.prepare("UPDATE contacts SET deleted_at = updated_at WHERE organization_id = ?")
          .bind(t.organizationId)
          .run();
        await upsertContacts(getDb(env.DB), t.organizationId, [{ primaryPhone: phone }]);
      }),
    );
    await expect(upsertContacts(db, t.organizationId, [{ primaryPhone: phone, city: "Fes" }])).rejects.toMatchObject({
      status: 503,
      code: "SERVICE_UNAVAILABLE",
    });
    expect((await rowsOf(t.organizationId)).filter((row) => row.city === "Fes")).toEqual([]);
  });
});
