import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutCodePoints } from "../../../src/schemas/common";
import { doc } from "../../conformance";
import { errorOf, fitAttributes, knownValidContact } from "../../contact-fixtures";
import { api, createTenant, fewShrinks, freshPhone } from "../../helpers";
import { arbitraryOf, type JsonSchema } from "../../openapi/json-schema-arbitrary";

// Issue 13, item 4: what a write answers is what is stored. The contact in the 201 of a create,
// and in each item of the 200 of an upsert, must be the same bytes as a later GET of it: a
// write that echoed its input while storage changed it (D1 turning a lone surrogate into U+FFFD,
// a cut that splits a surrogate pair, an e-mail lower-cased on one side only) fails here.

const components = doc.components.schemas as Record<string, JsonSchema>;
const contactInput = components.ContactInput as JsonSchema;
const inputField = (name: string) => (contactInput.properties as Record<string, JsonSchema>)[name] as JsonSchema;

/** Letters, marks, CJK, emoji (astral: two UTF-16 units), a space and a hyphen: one code point each. */
const nameChar = fc.oneof(
  fc.constantFrom("a", "Z", "é", "ß", "\u0301", "中", " ", "-", "'"),
  fc.integer({ min: 0x1f300, max: 0x1faff }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x20000, max: 0x2a6df }).map((c) => String.fromCodePoint(c)),
);
/** A name at or near the 64 code-point limit: "<first> <last>" is then over it, and the derived fullName is cut. */
const longName = fc
  .integer({ min: 48, max: inputField("firstName").maxLength as number })
  .chain((n) => fc.string({ unit: nameChar, minLength: n, maxLength: n }));
const email = fc.mixedCase(
  arbitraryOf({ ...inputField("primaryEmail"), type: "string" }, components) as fc.Arbitrary<string>,
);
const channels = fc.array(fc.constantFrom("sms", " sms ", "SMS", "whatsapp", "email", "📞", "whatsapp "), {
  minLength: 2,
  maxLength: 20,
});
const attributes = fc.oneof(
  arbitraryOf(inputField("customAttributes"), components).map(fitAttributes),
  fc.dictionary(
    fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
    fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-0, 1e21, 5e-324, 0.1, 2 ** 53 + 2)),
    { maxKeys: 5 },
  ),
);

/** A valid contact input: drawn from the document, with the cases above mixed in; fullName often left to derive. */
const contactBody = fc
  .tuple(
    arbitraryOf(contactInput, components),
    fc.record(
      { firstName: longName, lastName: longName, primaryEmail: email, channels, customAttributes: attributes },
      { requiredKeys: [] },
    ),
    fc.boolean(),
  )
  .map(([generated, cases, derive]) => {
    const body = knownValidContact({ ...(generated as object), ...cases });
    if (derive) delete body.fullName;
    return body;
  });

/**
 * Up to five bodies (the stored contact and four items) may merge into one contact, and the
 * limits hold on the merged attributes: each brings at most a fifth of them.
 */
const mergeable = contactBody.map((body) =>
  "customAttributes" in body
    ? { ...body, customAttributes: fitAttributes(body.customAttributes, { keys: 20, bytes: 3000 }) }
    : body,
);

const read = async (key: string, id: string) => {
  const res = await api(`/api/contact/${id}`, { key });
  expect(res.status).toBe(200);
  return res.text();
};

/** A derived fullName: never half a surrogate pair, at most 64 code points, the documented cut. */
function expectDerivedFullName(contact: {
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
}) {
  const parts = [contact.firstName, contact.lastName].filter(Boolean);
  if (parts.length === 0) return expect(contact.fullName).toBeNull();
  const fullName = contact.fullName as string;
  expect(fullName.isWellFormed()).toBe(true);
  expect(fullName).toBe(cutCodePoints(parts.join(" "), 64).replace(/ +$/, ""));
}

describe("what a write answers is what a read returns, byte for byte", () => {
  it("POST /api/contact: the 201 body is the GET body", async () => {
    await fc.assert(
      fc.asyncProperty(fewShrinks(contactBody), async (body) => {
        // An organization per run: no 409, and no 429 while fast-check shrinks a failure.
        const { key } = await createTenant();
        const res = await api("/api/contact", { method: "POST", key, json: body });
        const echoed = await res.text();
        if (res.status !== 201) throw new Error(`${res.status} ${echoed}\nfor ${JSON.stringify(body)}`);
        const contact = JSON.parse(echoed);
        expect(await read(key, contact.id)).toBe(echoed);
        if (!("fullName" in body)) expectDerivedFullName(contact);
      }),
      { numRuns: 100 },
    );
  });

  it("POST /api/contact/upsert: each item of the 200 is the GET body (creates, merges into a stored contact, a phone twice)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fewShrinks(mergeable),
        fewShrinks(fc.array(fc.tuple(mergeable, fc.constantFrom(0, 1, 2)), { minLength: 1, maxLength: 4 })),
        async (stored, items) => {
          const { key } = await createTenant();
          const first = await api("/api/contact", { method: "POST", key, json: stored });
          expect(first.status).toBe(201);
          // Phone 0 is the stored contact's (a merge); 1 and 2 are new, and may come twice (merged in order).
          const phones = [stored.primaryPhone, freshPhone(), freshPhone()];
          const data = items.map(([item, phone]) => ({ ...item, primaryPhone: phones[phone] }));
          const res = await api("/api/contact/upsert", { method: "POST", key, json: { data } });
          const text = await res.text();
          if (res.status !== 200) throw new Error(`${res.status} ${text}\nfor ${JSON.stringify(data)}`);
          for (const contact of JSON.parse(text).data) {
            expect(await read(key, contact.id)).toBe(JSON.stringify(contact));
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("what could not be stored as sent is refused", () => {
  it("a lone surrogate in firstName is 400 invalidUnicode, sent as the raw JSON escape", async () => {
    const { key } = await createTenant();
    const body = '{"primaryPhone":"+212600000017","firstName":"\\ud800x"}';
    // The six bytes of the escape, as JSON.stringify writes a lone surrogate too.
    expect(body).toContain("\\ud800x");
    expect(JSON.stringify({ primaryPhone: "+212600000017", firstName: "\ud800x" })).toBe(body);
    const res = await api("/api/contact", {
      method: "POST",
      key,
      body,
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { fieldDetails: Record<string, unknown> };
    expect(answer.fieldDetails).toEqual({ firstName: [{ code: "invalidUnicode" }] });
  });

  it.each([
    ["a low surrogate alone, in lastName", { lastName: "x\udc00" }, "lastName"],
    ["a high surrogate at the end of a channel", { channels: ["sms\ud83d"] }, "channels.0"],
  ])("%s is 400 invalidUnicode", async (_, fields, path) => {
    const { key } = await createTenant();
    const res = await api("/api/contact", { method: "POST", key, json: { primaryPhone: freshPhone(), ...fields } });
    expect(await errorOf(res)).toMatchObject({ status: 400, fields: [path] });
  });
});

describe("a derived fullName never ends in half a surrogate pair", () => {
  it("cuts at 64 code points, where a cut at 64 UTF-16 units would split an emoji", async () => {
    const { key } = await createTenant();
    const firstName = `a${"😀".repeat(63)}`; // 64 code points, 127 UTF-16 units
    const res = await api("/api/contact", {
      method: "POST",
      key,
      json: { primaryPhone: freshPhone(), firstName, lastName: "b" },
    });
    expect(res.status).toBe(201);
    const contact = (await res.json()) as { id: string; fullName: string };
    expect(contact.fullName).toBe(firstName);
    expect(contact.fullName.isWellFormed()).toBe(true);
    expect(JSON.parse(await read(key, contact.id)).fullName).toBe(firstName);
  });

  it("never ends in the joining space, when the cut falls right after the first name (create and PATCH)", async () => {
    const { key } = await createTenant();
    const firstName = "a".repeat(63);
    const res = await api("/api/contact", {
      method: "POST",
      key,
      json: { primaryPhone: freshPhone(), firstName, lastName: "Doe" },
    });
    const contact = (await res.json()) as { id: string; fullName: string };
    expect(contact.fullName).toBe(firstName);
    // PATCH merges in SQL: the same rule there.
    const patched = await api(`/api/contact/${contact.id}`, {
      method: "PATCH",
      key,
      json: { firstName: "b".repeat(63) },
    });
    expect(((await patched.json()) as { fullName: string }).fullName).toBe("b".repeat(63));
  });

  it("holds for any two names near the limit", async () => {
    await fc.assert(
      fc.asyncProperty(fewShrinks(longName), fewShrinks(longName), async (firstName, lastName) => {
        const { key } = await createTenant();
        const json = { primaryPhone: freshPhone(), firstName, lastName };
        const res = await api("/api/contact", { method: "POST", key, json });
        expect(res.status).toBe(201);
        const contact = (await res.json()) as { fullName: string; firstName: string; lastName: string };
        expect(/[\ud800-\udbff]$/.test(contact.fullName)).toBe(false);
        expectDerivedFullName(contact);
      }),
      { numRuns: 40 },
    );
  });
});
