import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { importFileKey } from "../../src/db/imports";
import { importRows, importSessions } from "../../src/db/schema";
import worker from "../../src/index";
import { IMPORT_LIMITS } from "../../src/schemas/import";
import { MAX_IMPORT_ATTEMPTS, runImportMessage } from "../../src/services/imports/execute";
import { storedRowsOf } from "../contact-fixtures";
import { outboxOf } from "../event-helpers";
import { api, createTenant, insertDefinition } from "../helpers";
import {
  deliver,
  drain,
  execute,
  heldQueue,
  importFile,
  type Mappings,
  sessionOf,
  upload,
  uploaded,
  validate,
} from "../import-helpers";

const PHONE_NAME: Mappings = [
  { column: 0, field: "primaryPhone" },
  { column: 1, field: "firstName" },
];

async function resultsOf(key: string, sessionId: string, query = "") {
  const res = await api(`/api/contact/ingestion/${sessionId}/results${query}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    data: {
      row: number;
      status: string;
      values: Record<string, string>;
      fieldErrors?: { path: string; code: string }[];
    }[];
    meta: { total: number; totalPages: number };
  };
}

async function failedCsv(key: string, sessionId: string) {
  const res = await api(`/api/contact/ingestion/${sessionId}/failed-rows.csv`, { key });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
  return res.text();
}

async function detailsOf(res: Response) {
  const body = (await res.json()) as {
    code: string;
    fieldErrors?: Record<string, string[]>;
    fieldDetails?: Record<string, { code: string }[]>;
  };
  return body;
}

describe("upload", () => {
  it("a file with a header row: columns named by it, the header not a data row, the preview as asked", async () => {
    const t = await createTenant();
    const csv =
      "phone,first_name,last_name\n+33612345601,Marie,Curie\n+33612345602,Ada,Lovelace\n+33612345603,Alan,Turing\n";
    const res = await upload(t.key, csv, { hasHeaderRow: true, previewRows: 2, fileName: "people.csv" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      fileName: "people.csv",
      totalRows: 3,
      columnCount: 3,
      status: "uploaded",
      columns: [
        { index: 0, name: "phone" },
        { index: 1, name: "first_name" },
        { index: 2, name: "last_name" },
      ],
      previewRows: [
        { "0": "+33612345601", "1": "Marie", "2": "Curie" },
        { "0": "+33612345602", "1": "Ada", "2": "Lovelace" },
      ],
    });
    const expires = Date.parse(body.expiresAt as string) - Date.now();
    expect(expires).toBeGreaterThan(IMPORT_LIMITS.uploadTtlMs - 60_000);
    expect(expires).toBeLessThanOrEqual(IMPORT_LIMITS.uploadTtlMs);
    // The file is in R2, as uploaded.
    const object = await env.IMPORT_FILES.get(importFileKey(body.sessionId as string));
    expect(await object?.text()).toBe(csv);
  });

  it("a headerless file (the default): every line is a row, columns are `Column <n>`, the widest row counts", async () => {
    const t = await createTenant();
    const body = await uploaded(t.key, "+33612345601,Marie\n+33612345602,Ada,extra\n");
    expect(body.totalRows).toBe(2);
    expect(body.columns).toEqual([
      { index: 0, name: "Column 1" },
      { index: 1, name: "Column 2" },
      { index: 2, name: "Column 3" },
    ]);
    expect(body.previewRows[0]).toEqual({ "0": "+33612345601", "1": "Marie", "2": "" });
  });

  it("`;` separators, a BOM, CRLF and a quoted line break are read as a spreadsheet writes them", async () => {
    const t = await createTenant();
    const csv = '\uFEFFphone;name;note\r\n+33612345601;"Curie; Marie";"two\r\nlines"\r\n+33612345602;Ada;x\r\n';
    const body = await uploaded(t.key, csv, { hasHeaderRow: true });
    expect(body.columns[0]).toEqual({ index: 0, name: "phone" }); // no BOM in the name
    expect(body.totalRows).toBe(2);
    expect(body.previewRows[0]).toEqual({ "0": "+33612345601", "1": "Curie; Marie", "2": "two\r\nlines" });
    const v = await validate(t.key, body.sessionId, [
      { column: 0, field: "primaryPhone" },
      { column: 1, field: "fullName" },
    ]);
    expect(v.status).toBe(200);
    // Rows are numbered by the line where they start: the quoted line break pushes the next row to line 4.
    expect((await resultsOf(t.key, body.sessionId)).data.map((r) => r.row)).toEqual([2, 4]);
  });

  it("a broken file is a 400 naming the line; non-UTF-8 bytes and binary files too; nothing is kept", async () => {
    const t = await createTenant();
    const cases: [string | Uint8Array, string, RegExp][] = [
      ['+33612345601,a\n+33612345602,"open\n', "unclosedQuote", /^file line 2: /],
      ["+33612345601,a\n+33612345602,b\n\xff", "invalidEncoding", /^file line 3: /],
      [new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0xc3, 0x28, 0x0a]), "invalidEncoding", /^file line 2: /],
      [new Uint8Array([0x61, 0x0a, 0x00, 0x01]), "binaryFile", /^file line 2: /],
    ];
    for (const [content, code, message] of cases) {
      const bytes = typeof content === "string" ? Uint8Array.from(content, (c) => c.charCodeAt(0)) : content;
      const res = await upload(t.key, bytes);
      expect(res.status).toBe(400);
      const body = await detailsOf(res);
      expect(body.fieldDetails?.file).toEqual([{ code }]);
      expect(body.fieldErrors?.file?.[0]).toMatch(message);
    }
    const listed = await env.IMPORT_FILES.list({ prefix: "imports/" });
    const sessions = await getDb(env.DB)
      .select()
      .from(importSessions)
      .where(eq(importSessions.organizationId, t.organizationId));
    expect(sessions).toEqual([]);
    for (const object of listed.objects) expect(sessions.some((s) => object.key.includes(s.id))).toBe(false);
  });

  it("refuses what is not a usable form: no file, an empty file, unknown fields, bad options, another media type", async () => {
    const t = await createTenant();
    const form = new FormData();
    form.set("hasHeaderRow", "true");
    const noFile = await api("/api/contact/ingestion/upload", { method: "POST", key: t.key, body: form });
    expect((await detailsOf(noFile)).fieldDetails).toEqual({ file: [{ code: "missingFile" }] });
    expect((await detailsOf(await upload(t.key, "phone\n", { hasHeaderRow: true }))).fieldDetails).toEqual({
      file: [{ code: "emptyFile" }],
    });
    expect((await detailsOf(await upload(t.key, "1\n", { extra: { hasHeaderrow: "true" } }))).fieldDetails).toEqual({
      hasHeaderrow: [{ code: "unknownFormField" }],
    });
    const bad = await detailsOf(await upload(t.key, "1\n", { hasHeaderRow: "yes" as never, previewRows: 101 }));
    expect(bad.fieldDetails).toEqual({
      hasHeaderRow: [{ code: "notTrueOrFalse" }],
      previewRows: [{ code: "previewRowsRange" }],
    });
    const json = await api("/api/contact/ingestion/upload", { method: "POST", key: t.key, json: { file: "x" } });
    expect(json.status).toBe(415);
  });

  it("over the limits: 413 for more than 500,000 rows, for a body over 50 MB streamed, and for a declared one", async () => {
    const t = await createTenant();
    const rows = await upload(t.key, "1\n".repeat(IMPORT_LIMITS.rows + 1));
    expect(rows.status).toBe(413);
    // Exactly the limit with a header row is fine.
    const header = await upload(t.key, `phone\n${"1\n".repeat(IMPORT_LIMITS.rows)}`, { hasHeaderRow: true });
    expect(header.status).toBe(201);
    expect(((await header.json()) as { totalRows: number }).totalRows).toBe(IMPORT_LIMITS.rows);

    // 51 MB in a streamed body without Content-Length: counted as it is read.
    const boundary = "xyz";
    const line = new TextEncoder().encode(`${"a,".repeat(511)}b\n`); // 1 KiB a line, 800 lines a row... any CSV
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n`,
    );
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(head);
        if (sent > 51 * 1024 * 1024) return controller.close();
        const chunk = new Uint8Array(line.length * 256);
        for (let i = 0; i < 256; i++) chunk.set(line, i * line.length);
        controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const big = await api("/api/contact/ingestion/upload", {
      method: "POST",
      key: t.key,
      body: stream,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    expect(big.status).toBe(413);
    const declared = await api("/api/contact/ingestion/upload", {
      method: "POST",
      key: t.key,
      body: "x",
      headers: { "content-type": "multipart/form-data; boundary=b", "content-length": String(60 * 1024 * 1024) },
    });
    expect(declared.status).toBe(413);
  });
});

describe("validate and results", () => {
  it("validates each row as an upsert item, classifies new and existing (a phone twice in the file too), pages by filter", async () => {
    const t = await createTenant({ defaultCountry: "FR" });
    await api("/api/contact", { method: "POST", key: t.key, json: { primaryPhone: "+33612345610", firstName: "Old" } });
    const csv = [
      "phone,first,email",
      "06 12 34 56 10,Known,", // existing (national number, the organization's country)
      "+33612345611,New,new@example.com", // valid
      "12,Bad,not-an-email", // invalid: phone and e-mail
      "+33612345611,Again,", // existing: an earlier row of the file has this phone
      ",NoPhone,", // invalid: phone missing
    ].join("\n");
    const { sessionId } = await uploaded(t.key, csv, { hasHeaderRow: true });
    const res = await validate(t.key, sessionId, [
      { column: 0, field: "primaryPhone" },
      { column: 1, field: "firstName" },
      { column: 2, field: "primaryEmail" },
    ]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      sessionId,
      status: "validated",
      totalRows: 5,
      validRows: 3,
      invalidRows: 2,
      newRows: 1,
      existingRows: 2,
    });
    const all = await resultsOf(t.key, sessionId);
    expect(all.data.map((r) => [r.row, r.status])).toEqual([
      [2, "existing"],
      [3, "valid"],
      [4, "invalid"],
      [5, "existing"],
      [6, "invalid"],
    ]);
    expect(all.data[2]?.values).toEqual({ primaryPhone: "12", firstName: "Bad", primaryEmail: "not-an-email" });
    // The same codes as an upsert item, keyed by the mapped field.
    expect(all.data[2]?.fieldErrors?.map((e) => `${e.path}:${e.code}`).sort()).toEqual([
      "primaryEmail:isEmail",
      "primaryPhone:invalidPhone",
    ]);
    const upsert = await api("/api/contact/upsert", {
      method: "POST",
      key: t.key,
      json: { data: [{ primaryPhone: "12", firstName: "Bad", primaryEmail: "not-an-email" }] },
    });
    const upsertCodes = (await detailsOf(upsert)).fieldDetails as Record<string, { code: string }[]>;
    for (const error of all.data[2]?.fieldErrors ?? []) {
      expect(upsertCodes[`data.0.${error.path}`]).toEqual([{ code: error.code }]);
    }
    expect(all.data[4]?.fieldErrors?.map((e) => e.path)).toEqual(["primaryPhone"]);

    expect((await resultsOf(t.key, sessionId, "?filter=valid")).data.map((r) => r.row)).toEqual([2, 3, 5]);
    expect((await resultsOf(t.key, sessionId, "?filter=invalid")).data.map((r) => r.row)).toEqual([4, 6]);
    expect((await resultsOf(t.key, sessionId, "?filter=existing")).data.map((r) => r.row)).toEqual([2, 5]);
    const page2 = await resultsOf(t.key, sessionId, "?limit=2&page=2");
    expect(page2.data.map((r) => r.row)).toEqual([4, 5]);
    expect(page2.meta).toMatchObject({ total: 5, totalPages: 3 });
    expect((await api(`/api/contact/ingestion/${sessionId}/results?limit=501`, { key: t.key })).status).toBe(400);
  });

  it("refuses mappings without primaryPhone, a field or column twice, an unknown field, a column the file lacks", async () => {
    const t = await createTenant();
    const { sessionId } = await uploaded(t.key, "+33612345601,Marie\n");
    const codes = async (mappings: Mappings) =>
      (await detailsOf(await validate(t.key, sessionId, mappings))).fieldDetails;
    expect(await codes([{ column: 1, field: "firstName" }])).toEqual({
      columnMappings: [{ code: "primaryPhoneNotMapped" }],
    });
    expect(
      await codes([
        { column: 0, field: "primaryPhone" },
        { column: 1, field: "primaryPhone" },
        { column: 0, field: "lastName" },
      ]),
    ).toEqual({
      "columnMappings.1.field": [{ code: "fieldMappedTwice" }],
      "columnMappings.2.column": [{ code: "columnMappedTwice" }],
    });
    expect(
      await codes([
        { column: 0, field: "primaryPhone" },
        { column: 1, field: "nickname" },
      ]),
    ).toEqual({
      "columnMappings.1.field": [{ code: "invalidFieldMapTarget" }],
    });
    expect(
      await codes([
        { column: 0, field: "primaryPhone" },
        { column: 2, field: "lastName" },
      ]),
    ).toEqual({
      "columnMappings.1.column": [{ code: "noSuchColumn" }],
    });
  });

  it("reads each custom attribute type from its text, and refuses a cell that is not of its type", async () => {
    const t = await createTenant({ defaultCountry: "FR" });
    const types = ["text", "number", "boolean", "date", "phone_number", "email", "url"] as const;
    for (const type of types) await insertDefinition(t.organizationId, `a_${type}`, type);
    const mappings: Mappings = [
      { column: 0, field: "primaryPhone" },
      ...types.map((type, i) => ({ column: i + 1, field: `customAttributes.a_${type}` })),
    ];
    const good = "+33612345620,hello,42.5,yes,2026-01-31,06 12 34 56 99,Ada@Example.com,https://example.com/x";
    const bad = "+33612345621,ok,forty,maybe,2026-02-30,12,not-mail,not a url";
    const { sessionId, session } = await importFile(t.key, `${good}\n${bad}\n`, mappings);
    expect(session).toMatchObject({ status: "executed", created: 1, failed: 1, processedRows: 2 });
    const results = await resultsOf(t.key, sessionId, "?filter=invalid");
    expect(results.data[0]?.fieldErrors?.map((e) => e.path).sort()).toEqual(
      ["a_boolean", "a_date", "a_email", "a_number", "a_phone_number", "a_url"].map((n) => `customAttributes.${n}`),
    );
    const [contact] = (await storedRowsOf(t.organizationId)).filter((r) => r.primaryPhone === "+33612345620");
    expect(JSON.parse(contact?.customAttributes ?? "{}")).toEqual({
      a_text: "hello",
      a_number: 42.5,
      a_boolean: true,
      a_date: "2026-01-31",
      a_phone_number: "+33612345699",
      a_email: "ada@example.com",
      a_url: "https://example.com/x",
    });
  });
});

describe("execute", () => {
  it("writes the valid rows through the upsert's merge, counts them, emits events, lists the others as CSV", async () => {
    const t = await createTenant();
    await api("/api/webhook-endpoints", { method: "POST", key: t.key, json: { url: "http://127.0.0.1:9/in" } });
    await api("/api/contact", {
      method: "POST",
      key: t.key,
      json: { primaryPhone: "+33612345630", firstName: "Old", lastName: "Kept", customAttributes: { a: 1 } },
    });
    const csv =
      'phone,name,channels\n+33612345630,New,"sms, whatsapp"\nnope,Bad,\n+33612345631,Fresh,\n+33612345631,Fresher,\n';
    const { sessionId } = await uploaded(t.key, csv, { hasHeaderRow: true });
    await validate(t.key, sessionId, [
      { column: 0, field: "primaryPhone" },
      { column: 1, field: "firstName" },
      { column: 2, field: "channels" },
    ]);
    const { res, held } = await execute(t.key, sessionId);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ sessionId, status: "executing", processedRows: 1, failed: 1 });
    expect(held.sent).toEqual([{ importSessionId: sessionId }]);
    expect((await sessionOf(t.key, sessionId)).status).toBe("executing");
    await drain(held.sent);

    const session = await sessionOf(t.key, sessionId);
    expect(session).toMatchObject({
      status: "executed",
      totalRows: 4,
      processedRows: 4,
      created: 1,
      updated: 2,
      failed: 1,
    });
    expect(session.failedRowsUrl).toBe(`http://localhost/api/contact/ingestion/${sessionId}/failed-rows.csv`);
    expect(Date.parse(session.expiresAt) - Date.now()).toBeGreaterThan(IMPORT_LIMITS.executedTtlMs - 60_000);
    const rows = await storedRowsOf(t.organizationId);
    const byPhone = new Map(rows.map((r) => [r.primaryPhone, r]));
    // Merged as the upsert merges: present fields overwrite, absent ones stay, attributes kept.
    expect(byPhone.get("+33612345630")).toMatchObject({
      firstName: "New",
      lastName: "Kept",
      channels: '["sms","whatsapp"]',
    });
    expect(JSON.parse(byPhone.get("+33612345630")?.customAttributes ?? "")).toEqual({ a: 1 });
    // The same phone twice merges in order.
    expect(byPhone.get("+33612345631")?.firstName).toBe("Fresher");
    expect(rows).toHaveLength(2);
    // The file is deleted once executed.
    expect(await env.IMPORT_FILES.head(importFileKey(sessionId))).toBeNull();
    // Every change told: the manual create, then the import's create and update.
    const types = (await outboxOf(t.organizationId)).map((e) => `${e.type}:${e.body.data.primaryPhone}`);
    expect(types.sort()).toEqual(
      ["contact.created:+33612345630", "contact.created:+33612345631", "contact.updated:+33612345630"].sort(),
    );
    expect(await failedCsv(t.key, sessionId)).toBe(
      "phone,name,channels,error\r\nnope,Bad,,primaryPhone must be a valid phone number\r\n",
    );
  });

  it("a row refused at execution (a definition made since validation) fails alone, with its error in the CSV", async () => {
    const t = await createTenant();
    const { sessionId } = await uploaded(t.key, "+33612345640,5\n+33612345641,x\n");
    await validate(t.key, sessionId, [
      { column: 0, field: "primaryPhone" },
      { column: 1, field: "customAttributes.seats" },
    ]);
    await insertDefinition(t.organizationId, "seats", "number");
    const { held } = await execute(t.key, sessionId);
    await drain(held.sent);
    expect(await sessionOf(t.key, sessionId)).toMatchObject({ status: "executed", created: 1, failed: 1 });
    const csv = await failedCsv(t.key, sessionId);
    expect(csv).toMatch(/^\+33612345641,x,customAttributes\.seats must be a finite number/);
    expect((await storedRowsOf(t.organizationId)).map((r) => r.primaryPhone)).toEqual(["+33612345640"]);
  });

  it("a message delivered twice, even at the same time, writes nothing twice", async () => {
    const t = await createTenant();
    await api("/api/webhook-endpoints", { method: "POST", key: t.key, json: { url: "http://127.0.0.1:9/in" } });
    const lines = Array.from({ length: 2500 }, (_, i) => `+3361234${String(i).padStart(4, "0")},N${i}`);
    const { sessionId } = await uploaded(t.key, lines.join("\n"));
    await validate(t.key, sessionId, PHONE_NAME);
    const { held } = await execute(t.key, sessionId);
    const deps = { db: getDb(env.DB), bucket: env.IMPORT_FILES, queue: heldQueue().queue, events: heldQueue().queue };
    const [message] = held.sent;
    // Two consumers on one session at once, then a redelivery of the same message.
    await Promise.all([
      runImportMessage(deps as never, message as never),
      runImportMessage(deps as never, message as never),
    ]);
    await deliver(message as never);
    const session = await sessionOf(t.key, sessionId);
    expect(session).toMatchObject({ status: "executed", processedRows: 2500, created: 2500, updated: 0, failed: 0 });
    expect(await storedRowsOf(t.organizationId)).toHaveLength(2500);
    expect((await outboxOf(t.organizationId)).filter((e) => e.type === "contact.created")).toHaveLength(2500);
  });

  it("a message that keeps failing is retried with backoff, and after its last attempt the session is `failed`", async () => {
    const t = await createTenant();
    const { sessionId } = await uploaded(t.key, "+33612345650,A\n");
    await validate(t.key, sessionId, PHONE_NAME);
    const { held } = await execute(t.key, sessionId);
    // A session its consumer cannot work on (its stored mappings unreadable): every attempt throws.
    await getDb(env.DB).update(importSessions).set({ columnMappings: "{" }).where(eq(importSessions.id, sessionId));
    const { createMessageBatch, getQueueResult, createExecutionContext } = await import("cloudflare:test");
    const run = async (attempts: number) => {
      const batch = createMessageBatch("contacts-edge-imports", [
        { id: `m${attempts}`, timestamp: new Date(), attempts, body: held.sent[0] },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch as never, { ...env, IMPORTS: heldQueue().queue } as never);
      return getQueueResult(batch, ctx);
    };
    const first = await run(1);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(["m1"]);
    expect((await sessionOf(t.key, sessionId)).status).toBe("executing");
    const last = await run(MAX_IMPORT_ATTEMPTS);
    expect(last.explicitAcks).toEqual([`m${MAX_IMPORT_ATTEMPTS}`]);
    expect(await sessionOf(t.key, sessionId)).toMatchObject({ status: "failed", processedRows: 0 });
    expect(await env.IMPORT_FILES.head(importFileKey(sessionId))).toBeNull();
  });
});

describe("states, expiry and isolation", () => {
  it("409 INVALID_SESSION_STATE: execute before validate, results before validate, validate or execute after execute", async () => {
    const t = await createTenant();
    const { sessionId } = await uploaded(t.key, "+33612345660,A\n");
    const state = async (res: Response) => [res.status, (await detailsOf(res)).code];
    expect(await state((await execute(t.key, sessionId)).res)).toEqual([409, "INVALID_SESSION_STATE"]);
    expect(await state(await api(`/api/contact/ingestion/${sessionId}/results`, { key: t.key }))).toEqual([
      409,
      "INVALID_SESSION_STATE",
    ]);
    expect((await validate(t.key, sessionId, PHONE_NAME)).status).toBe(200);
    // Validated again, with other mappings: allowed until executed.
    expect((await validate(t.key, sessionId, [{ column: 0, field: "primaryPhone" }])).status).toBe(200);
    expect((await resultsOf(t.key, sessionId)).data).toHaveLength(1);
    const { held } = await execute(t.key, sessionId);
    expect(await state((await execute(t.key, sessionId)).res)).toEqual([409, "INVALID_SESSION_STATE"]);
    expect(await state(await validate(t.key, sessionId, PHONE_NAME))).toEqual([409, "INVALID_SESSION_STATE"]);
    await drain(held.sent);
    expect(await state((await execute(t.key, sessionId)).res)).toEqual([409, "INVALID_SESSION_STATE"]);
  });

  it("an unexecuted session is gone 30 minutes after upload; the sweep deletes its file and rows", async () => {
    const t = await createTenant();
    const { sessionId } = await uploaded(t.key, "+33612345670,A\n");
    await validate(t.key, sessionId, PHONE_NAME);
    const db = getDb(env.DB);
    await db
      .update(importSessions)
      .set({ expiresAt: new Date(Date.now() - 1000).toISOString() })
      .where(eq(importSessions.id, sessionId));
    for (const path of [`/api/contact/ingestion/${sessionId}`, `/api/contact/ingestion/${sessionId}/results`]) {
      expect((await api(path, { key: t.key })).status).toBe(404);
    }
    expect((await validate(t.key, sessionId, PHONE_NAME)).status).toBe(404);
    expect((await execute(t.key, sessionId)).res.status).toBe(404);
    expect(await env.IMPORT_FILES.head(importFileKey(sessionId))).not.toBeNull();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), {
      ...env,
      IMPORTS: heldQueue().queue,
    } as never);
    expect(await env.IMPORT_FILES.head(importFileKey(sessionId))).toBeNull();
    expect(await db.select().from(importRows).where(eq(importRows.sessionId, sessionId))).toEqual([]);
    expect(await db.select().from(importSessions).where(eq(importSessions.id, sessionId))).toEqual([]);
  });

  it("the sweep sends a new message for an executing session that stopped making progress", async () => {
    const t = await createTenant();
    const { sessionId } = await uploaded(t.key, "+33612345680,A\n");
    await validate(t.key, sessionId, PHONE_NAME);
    await execute(t.key, sessionId); // its message is lost (held, never delivered)
    await getDb(env.DB)
      .update(importSessions)
      .set({ updatedAt: new Date(Date.now() - 3 * 60_000).toISOString() })
      .where(eq(importSessions.id, sessionId));
    const held = heldQueue();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), {
      ...env,
      IMPORTS: held.queue,
    } as never);
    expect(held.sent).toContainEqual({ importSessionId: sessionId });
    await drain(held.sent);
    expect((await sessionOf(t.key, sessionId)).status).toBe("executed");
  });

  it("another organization's session is a 404 on every route", async () => {
    const owner = await createTenant();
    const other = await createTenant();
    const { sessionId } = await uploaded(owner.key, "+33612345690,A\n");
    await validate(owner.key, sessionId, PHONE_NAME);
    for (const path of ["", "/results", "/failed-rows.csv"]) {
      expect((await api(`/api/contact/ingestion/${sessionId}${path}`, { key: other.key })).status).toBe(404);
    }
    expect((await validate(other.key, sessionId, PHONE_NAME)).status).toBe(404);
    expect((await execute(other.key, sessionId)).res.status).toBe(404);
    expect((await sessionOf(owner.key, sessionId)).status).toBe("validated");
  });
});
