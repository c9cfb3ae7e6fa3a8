/**
 * Outbound events end to end, through the real worker under `wrangler dev` (local D1, KV and
 * Queues, its own fresh state) and real receivers on 127.0.0.1. Every delivery is verified with
 * the Standard Webhooks reference package. Shows: a create, an upsert (2 new, 1 changed,
 * 1 unchanged and not sent), a PATCH, a DELETE and a webhook intake each arrive as the right event;
 * a receiver answering 500 twice then 200 gets the event on the third attempt; a receiver down for a
 * whole attempt loses nothing; a disabled endpoint receives nothing more.
 * Retry delays are capped at 1 s by the test-only EVENT_RETRY_MAX_DELAY_SECONDS.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { createKey, createOrganization } from "./lib/keys";
import { applyMigrations, quietEnv, usePersistDir } from "./lib/wrangler";

const PORT = Number(process.env.E2E_PORT ?? 8797);
const BASE = `http://127.0.0.1:${PORT}`;
const WAIT_MS = 30_000;

interface Delivery {
  id: string;
  headers: Record<string, string>;
  body: string;
}
interface EventBody {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

let passed = 0;
let failed = 0;
function check(what: string, ok: boolean, detail = ""): void {
  if (ok) passed++;
  else failed++;
  process.stdout.write(`${ok ? "ok  " : "FAIL"} ${what}${ok || !detail ? "" : `: ${detail}`}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T | undefined> {
  const end = Date.now() + WAIT_MS;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  check(what, false, "timed out");
  return undefined;
}

/** A receiver on 127.0.0.1: records every request, answers what `answer` says (200 unless told). */
function receiver(answer: (n: number) => number = () => 200) {
  const got: Delivery[] = [];
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    got.push({ id: String(req.headers["webhook-id"]), headers: req.headers as Record<string, string>, body });
    res.writeHead(answer(got.length)).end();
  });
  return {
    got,
    server,
    listen: (port = 0) =>
      new Promise<number>((resolve) =>
        server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
      ),
  };
}

let key = "";
async function call(method: string, route: string, json?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${BASE}${route}`, {
    method,
    headers: { "X-API-Key": key, ...(json === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: answers of several routes, read loosely by a script that checks them
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

async function subscribe(url: string, events?: string[]) {
  const { status, body } = await call("POST", "/api/webhook-endpoints", { url, ...(events ? { events } : {}) });
  if (status !== 201) throw new Error(`subscribe: ${status} ${JSON.stringify(body)}`);
  return body as { id: string; secret: string };
}

/** The verified events a receiver got about a contact, by type. */
function eventsAbout(got: Delivery[], secret: string, contactId: string, type: string): EventBody[] {
  return got
    .map((d) => {
      try {
        return new Webhook(secret).verify(d.body, d.headers) as EventBody;
      } catch {
        return undefined;
      }
    })
    .filter((e): e is EventBody => e !== undefined && e.type === type && e.data.id === contactId);
}

const phone = (() => {
  let n = 0;
  return () => `+3361${String(2_000_000 + ++n).padStart(7, "0")}`;
})();

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "contacts-edge-e2e-"));
  usePersistDir(dir);
  applyMigrations("local");
  const organizationId = await createOrganization("Events e2e", null, "local");
  key = (await createKey({ organizationId, name: "e2e", role: "admin", expiresAt: null }, "local")).key;

  const worker: ChildProcess = spawn(
    "wrangler",
    [
      "dev",
      "--port",
      String(PORT),
      "--ip",
      "127.0.0.1",
      "--persist-to",
      dir,
      "--var",
      "ALLOW_HTTP_WEBHOOK_ENDPOINTS:true",
      "--var",
      "EVENT_RETRY_MAX_DELAY_SECONDS:1",
    ],
    { env: quietEnv, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  worker.stdout?.on("data", (b) => (output += b));
  worker.stderr?.on("data", (b) => (output += b));
  const servers: Server[] = [];
  try {
    if (!(await until("wrangler dev starts", () => (/Ready on/.test(output) ? true : undefined))))
      throw new Error(output);

    const main = receiver();
    servers.push(main.server);
    const mainUrl = `http://127.0.0.1:${await main.listen()}/hooks`;
    const { secret } = await subscribe(mainUrl);
    const arrived = (id: string, type: string) =>
      until(`${type} of ${id} arrives`, () => eventsAbout(main.got, secret, id, type)[0]);

    // A create.
    const created = await call("POST", "/api/contact", { primaryPhone: phone(), firstName: "Ada" });
    const createdEvent = await arrived(created.body.id, "contact.created");
    check(
      "create → contact.created carrying the stored contact",
      JSON.stringify(createdEvent?.data) === JSON.stringify(created.body),
    );

    // An upsert of 4 items: 2 new, 1 changed, 1 unchanged.
    const [same, changing] = [phone(), phone()];
    const seeded = await call("POST", "/api/contact/upsert", {
      data: [{ primaryPhone: same, city: "Rabat" }, { primaryPhone: changing }],
    });
    for (const c of seeded.body.data) await arrived(c.id, "contact.created");
    const upsert = await call("POST", "/api/contact/upsert", {
      data: [
        { primaryPhone: phone() },
        { primaryPhone: same, city: "Rabat" },
        { primaryPhone: changing, city: "Fès" },
        { primaryPhone: phone() },
      ],
    });
    const [n1, unchanged, changed, n2] = upsert.body.data as { id: string }[];
    for (const c of [n1, n2])
      check("upsert: a new item → contact.created", (await arrived(c?.id as string, "contact.created")) !== undefined);
    const updatedEvent = await arrived(changed?.id as string, "contact.updated");
    check("upsert: the changed item → contact.updated with its new city", updatedEvent?.data.city === "Fès");

    // PATCH and DELETE.
    const patched = await call("PATCH", `/api/contact/${created.body.id}`, { city: "Oujda" });
    const patchEvent = await until("PATCH → contact.updated", () =>
      eventsAbout(main.got, secret, created.body.id, "contact.updated").find((e) => e.data.city === "Oujda"),
    );
    check(
      "PATCH → contact.updated carrying the stored contact",
      JSON.stringify(patchEvent?.data) === JSON.stringify(patched.body),
    );
    const deleted = await call("DELETE", `/api/contact/${created.body.id}`);
    const deleteEvent = await arrived(created.body.id, "contact.deleted");
    check(
      "DELETE → contact.deleted with { id, deletedAt } only",
      JSON.stringify(deleteEvent?.data) === JSON.stringify({ id: created.body.id, deletedAt: deleted.body.deletedAt }),
    );

    // A webhook intake.
    const source = await call("POST", "/api/webhook-sources", { name: "Site", provider: "json" });
    const intake = await fetch(new URL(new URL(source.body.url).pathname, BASE), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ phone: phone(), first_name: "Marie" }),
    });
    const { contactId } = (await intake.json()) as { contactId: string };
    const intakeEvent = await arrived(contactId, "contact.created");
    check("webhook intake → contact.created", intakeEvent?.data.firstName === "Marie");

    // Nothing was sent about the unchanged item (every other event of this upsert has arrived by now).
    check(
      "upsert: the unchanged item sends nothing",
      eventsAbout(main.got, secret, unchanged?.id as string, "contact.updated").length === 0,
    );
    check(
      "every delivery verifies with the reference package",
      main.got.every((d) => {
        try {
          new Webhook(secret).verify(d.body, d.headers);
          return true;
        } catch {
          return false;
        }
      }),
    );

    // A receiver answering 500 twice, then 200.
    const flaky = receiver((n) => (n <= 2 ? 500 : 200));
    servers.push(flaky.server);
    const flakyEndpoint = await subscribe(`http://127.0.0.1:${await flaky.listen()}/in`, ["contact.created"]);
    const forFlaky = await call("POST", "/api/contact", { primaryPhone: phone() });
    await until("the flaky receiver is called 3 times", () => (flaky.got.length >= 3 ? true : undefined));
    check("500, 500, 200: the same event (webhook-id) three times", new Set(flaky.got.map((d) => d.id)).size === 1);
    check(
      "… verified, about the contact",
      eventsAbout(flaky.got, flakyEndpoint.secret, forFlaky.body.id, "contact.created").length === 3,
    );
    const log = await until("the deliveries log shows 3 attempts", async () => {
      const { body } = await call("GET", `/api/webhook-endpoints/${flakyEndpoint.id}/deliveries`);
      return body.data?.length >= 3 ? body.data : undefined;
    });
    check(
      "deliveries log: pending 500, pending 500, delivered 200",
      JSON.stringify(
        log?.map((a: { attempt: number; status: string; responseStatus: number }) => [
          a.attempt,
          a.status,
          a.responseStatus,
        ]),
      ) ===
        JSON.stringify([
          [3, "delivered", 200],
          [2, "pending", 500],
          [1, "pending", 500],
        ]),
    );

    // A receiver down for a whole attempt: nothing is lost.
    const down = receiver();
    servers.push(down.server);
    const downPort = await down.listen();
    await new Promise<void>((resolve) => down.server.close(() => resolve()));
    const downEndpoint = await subscribe(`http://127.0.0.1:${downPort}/in`, ["contact.created"]);
    const forDown = await call("POST", "/api/contact", { primaryPhone: phone() });
    await until("an attempt at the down receiver fails", async () => {
      const { body } = await call("GET", `/api/webhook-endpoints/${downEndpoint.id}/deliveries`);
      return body.data?.some((a: { responseStatus: number | null }) => a.responseStatus === null) ? true : undefined;
    });
    await down.listen(downPort);
    const late = await until(
      "the down receiver, back up, gets the event",
      () => eventsAbout(down.got, downEndpoint.secret, forDown.body.id, "contact.created")[0],
    );
    check("a receiver down for a whole attempt loses nothing", late !== undefined);

    // A disabled endpoint receives nothing more.
    const off = receiver();
    servers.push(off.server);
    const offEndpoint = await subscribe(`http://127.0.0.1:${await off.listen()}/in`);
    const before = await call("POST", "/api/contact", { primaryPhone: phone() });
    await until("the endpoint receives while enabled", () => (off.got.length > 0 ? true : undefined));
    await call("DELETE", `/api/webhook-endpoints/${offEndpoint.id}`);
    const afterOff = await call("POST", "/api/contact", { primaryPhone: phone() });
    await arrived(afterOff.body.id, "contact.created");
    await sleep(3_000);
    check(
      "a disabled endpoint receives nothing more",
      off.got.length === 1 && eventsAbout(off.got, offEndpoint.secret, before.body.id, "contact.created").length === 1,
    );
  } finally {
    for (const server of servers) server.close();
    try {
      process.kill(-(worker.pid as number), "SIGTERM");
    } catch {}
    rmSync(dir, { recursive: true, force: true });
    if (failed > 0) process.stdout.write(output.slice(-4000));
  }
}

await main().catch((err) => {
  failed++;
  process.stdout.write(`FAIL ${err instanceof Error ? err.stack : String(err)}\n`);
});
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
