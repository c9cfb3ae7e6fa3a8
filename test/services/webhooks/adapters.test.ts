import { describe, expect, it } from "vitest";
import { contactCreateSchema } from "../../../src/schemas/contact";
import { adaptForm } from "../../../src/services/webhooks/adapters/form";
import { adaptJotform } from "../../../src/services/webhooks/adapters/jotform";
import { adaptTally } from "../../../src/services/webhooks/adapters/tally";
import { adaptTypeform } from "../../../src/services/webhooks/adapters/typeform";
import { adaptWebflow } from "../../../src/services/webhooks/adapters/webflow";
import form from "../../fixtures/webhooks/form.json";
import jotform from "../../fixtures/webhooks/jotform.json";
import json from "../../fixtures/webhooks/json.json";
import tally from "../../fixtures/webhooks/tally.json";
import typeform from "../../fixtures/webhooks/typeform.json";
import webflow from "../../fixtures/webhooks/webflow.json";
import { REFERENCE_EXAMPLE } from "../../helpers";

/** Every adapter output must be an input `POST /api/contact` accepts as it is (strict schema). */
const expectValidInput = (input: Record<string, unknown>) =>
  expect(contactCreateSchema.safeParse(input).success).toBe(true);

describe("adaptTypeform", () => {
  it("finds the typed phone and e-mail answers and the name questions by title, without configuration", () => {
    const { eventId, input } = adaptTypeform(typeform, {});
    expect(eventId).toBe("01JD3Q8Z7K2N6M4P0R5S7T9W1X");
    expect(input).toEqual({
      primaryPhone: "+33612345678",
      primaryEmail: "Laura.Martin@example.com",
      firstName: "Laura",
      lastName: "Martin",
    });
    expectValidInput(input);
  });

  it("maps answers by field ref, field id or hidden-field key through the fieldMap", () => {
    const { input } = adaptTypeform(typeform, {
      readable_ref_city: "city",
      readable_ref_products: "customAttributes.products",
      gFFf3xAkJKsr: "customAttributes.employees",
      utm_source: "customAttributes.utm_source",
    });
    expect(input).toMatchObject({
      city: "Lyon",
      customAttributes: { products: ["CRM", "Call campaigns"], employees: 42, utm_source: "newsletter" },
    });
    expectValidInput(input);
  });

  it("lets the fieldMap override a typed answer", () => {
    const { input } = adaptTypeform(typeform, { readable_ref_email: "customAttributes.work_email" });
    expect(input.primaryEmail).toBeUndefined();
    expect(input.customAttributes).toEqual({ work_email: "Laura.Martin@example.com" });
  });

  it("reads a choice answer's label and tolerates a payload that is not Typeform's", () => {
    const payload = {
      event_id: "e1",
      form_response: {
        answers: [
          { type: "choice", choice: { label: "phone" }, field: { id: "a", ref: "channel" } },
          { type: "payment", payment: { amount: "10" }, field: { id: "b", ref: "pay" } },
          "junk",
        ],
      },
    };
    expect(adaptTypeform(payload, { channel: "preferredChannel", pay: "customAttributes.pay" }).input).toEqual({
      preferredChannel: "phone",
    });
    expect(adaptTypeform("not an object", {})).toEqual({ eventId: null, input: {} });
  });
});

describe("adaptTally", () => {
  it("finds INPUT_PHONE_NUMBER and INPUT_EMAIL fields and a name field by label", () => {
    const { eventId, input } = adaptTally(tally, {});
    expect(eventId).toBe("a4cb511e-d513-4fa5-baee-b815d718dfd1");
    expect(input).toEqual({
      primaryPhone: "+212612345679",
      primaryEmail: "youssef@example.com",
      fullName: "Youssef El Amrani",
    });
    expectValidInput(input);
  });

  it("maps by key or label, turning chosen option ids into their texts", () => {
    const { input } = adaptTally(tally, {
      "How should we reach you?": "preferredChannel",
      question_31xD2V: "customAttributes.company",
      utm_campaign: "customAttributes.utm_campaign",
    });
    expect(input).toMatchObject({
      preferredChannel: "whatsapp",
      customAttributes: { company: "Atlas Logistics", utm_campaign: "winter-2026" },
    });
    expectValidInput(input);
  });
});

describe("adaptWebflow", () => {
  it("reads payload.data by label and writes a numeric phone out as digits", () => {
    const { eventId, input } = adaptWebflow(webflow, { Company: "customAttributes.company" });
    expect(eventId).toBe("6321ca84df3949bfc6752327");
    expect(input).toEqual({
      primaryPhone: "12015550123",
      primaryEmail: "zaphod@heartofgold.ai",
      firstName: "Zaphod",
      lastName: "Beeblebrox",
      customAttributes: { company: "Heart of Gold" },
    });
    expectValidInput(input);
  });

  it("reads the v1 shape too (the submission itself, with _id)", () => {
    const v1 = { name: "Sample Form", data: { name: "Some One", phone: "+212612345681" }, _id: "6321ca84df" };
    expect(adaptWebflow(v1, {})).toEqual({
      eventId: "6321ca84df",
      input: { fullName: "Some One", primaryPhone: "+212612345681" },
    });
  });
});

describe("adaptJotform", () => {
  it("parses rawRequest and splits name, phone and address widgets", () => {
    const { eventId, input } = adaptJotform(jotform, { q7_howDid: "customAttributes.referral" });
    expect(eventId).toBe("6012345678901234567");
    expect(input).toEqual({
      primaryPhone: "(201) 555-0123",
      primaryEmail: "maria.garcia@example.com",
      firstName: "Maria",
      lastName: "Garcia",
      fullName: "Maria Garcia",
      address: "12 Harbor Street, Apt 4",
      city: "Hoboken",
      state: "NJ",
      zip: "07030",
      customAttributes: { referral: "Google search" },
    });
    expectValidInput(input);
  });

  it("maps a widget part or the unique name without its number, and skips blank answers", () => {
    const rawRequest = JSON.stringify({
      q3_name: { first: "Ann", last: "" },
      q4_email4: "ann@example.com",
      q5_phone: { area: "201", phone: "5550123" },
      q6_empty: "",
    });
    const { input } = adaptJotform(
      { submissionID: 42, rawRequest },
      { "q3_name.first": "customAttributes.given", q6_empty: "city" },
    );
    expect(input).toEqual({
      primaryPhone: "2015550123",
      primaryEmail: "ann@example.com",
      fullName: "Ann",
      customAttributes: { given: "Ann" },
    });
  });

  it("survives a rawRequest that is not JSON", () => {
    expect(adaptJotform({ submissionID: "1", rawRequest: "{oops" }, {})).toEqual({ eventId: "1", input: {} });
  });
});

describe("adaptForm (form and json providers)", () => {
  it("matches common field names of a plain form, with customAttributes[<name>] fields", () => {
    const { eventId, input } = adaptForm(form, {});
    expect(eventId).toBeNull();
    expect(input).toEqual({
      fullName: "Amina Benali",
      primaryEmail: "amina.benali@example.com",
      primaryPhone: "06 12 34 56 80",
      city: "Rabat",
      customAttributes: { source: "landing-page" },
    });
    expectValidInput(input);
  });

  it("takes JSON in the shape of POST /api/contact as it is, and flattens nested objects for the fieldMap", () => {
    const { eventId, input } = adaptForm(json, { "utm.source": "customAttributes.utm_source" });
    expect(eventId).toBe("order-2026-11-20-0042");
    expect(input).toEqual({
      firstName: "Omar",
      lastName: "Haddad",
      primaryEmail: "omar.haddad@example.com",
      primaryPhone: "+212 6 61 23 45 67",
      customAttributes: { plan: "pro", seats: 12, utm_source: "ads" },
    });
    expectValidInput(input);
    expect(adaptForm({ ...REFERENCE_EXAMPLE }, {}).input).toEqual(REFERENCE_EXAMPLE);
  });

  it("never lets a prototype key through", () => {
    const payload = JSON.parse(
      '{"__proto__": {"phone": "+212612345699"}, "constructor": "x", "phone": "+212612345698"}',
    );
    expect(adaptForm(payload, {}).input).toEqual({ primaryPhone: "+212612345698" });
  });
});

describe("prototype member names in payloads", () => {
  it("are plain unknown types, never Object.prototype's members", () => {
    const tallyOut = adaptTally(
      { eventId: "e", data: { fields: [{ key: "k", label: "Phone", type: "valueOf", value: "+33612345678" }] } },
      {},
    );
    expect(tallyOut.input).toEqual({ primaryPhone: "+33612345678" });
    const typeformOut = adaptTypeform(
      { event_id: "e", form_response: { answers: [{ type: "constructor", field: { id: "x", ref: "x" } }] } },
      {},
    );
    expect(typeformOut.input).toEqual({});
  });
});
