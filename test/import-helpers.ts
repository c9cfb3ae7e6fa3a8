import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../src/index";
import type { ImportMessage } from "../src/services/imports/execute";
import { fetchWith } from "./faults";
import { api, jsonMessage, requestOf } from "./helpers";

/** A queue that keeps what is sent to it, for the test to deliver when it chooses. */
export function heldQueue() {
  const sent: ImportMessage[] = [];
  const queue = {
    async send(body: ImportMessage, options?: QueueSendOptions) {
      sent.push(jsonMessage(body, options?.contentType));
    },
    async sendBatch(messages: Iterable<MessageSendRequest<ImportMessage>>) {
      for (const m of messages) sent.push(jsonMessage(m.body, m.contentType));
    },
  } as unknown as Queue;
  return { queue, sent };
}

export interface UploadOptions {
  hasHeaderRow?: boolean;
  previewRows?: number | string;
  fileName?: string;
  extra?: Record<string, string>;
}

/** `POST /api/contact/ingestion/upload` with `content` as the file, as a browser's form sends it. */
export function upload(key: string, content: string | Uint8Array, options: UploadOptions = {}): Promise<Response> {
  const form = new FormData();
  if (options.hasHeaderRow !== undefined) form.set("hasHeaderRow", String(options.hasHeaderRow));
  if (options.previewRows !== undefined) form.set("previewRows", String(options.previewRows));
  for (const [name, value] of Object.entries(options.extra ?? {})) form.set(name, value);
  form.set("file", new File([content], options.fileName ?? "contacts.csv", { type: "text/csv" }));
  return api("/api/contact/ingestion/upload", { method: "POST", key, body: form });
}

export interface Uploaded {
  sessionId: string;
  totalRows: number;
  columnCount: number;
  columns: { index: number; name: string }[];
  previewRows: Record<string, string>[];
  expiresAt: string;
}

export async function uploaded(
  key: string,
  content: string | Uint8Array,
  options: UploadOptions = {},
): Promise<Uploaded> {
  const res = await upload(key, content, options);
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Uploaded;
}

export type Mappings = { column: number; field: string }[];

export const validate = (key: string, sessionId: string, columnMappings: Mappings) =>
  api("/api/contact/ingestion/validate", { method: "POST", key, json: { sessionId, columnMappings } });

/** `POST …/execute` with the imports queue held: nothing runs until {@link drain}. */
export async function execute(key: string, sessionId: string) {
  const held = heldQueue();
  const res = await fetchWith(
    { IMPORTS: held.queue },
    requestOf("/api/contact/ingestion/execute", { method: "POST", key, json: { sessionId } }),
  );
  return { res, held };
}

/** Runs the worker's `queue()` on one imports message, the messages it sends held. */
export async function deliver(message: ImportMessage, attempts = 1) {
  const held = heldQueue();
  const batch = createMessageBatch<ImportMessage>("contacts-edge-imports", [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts, body: message },
  ]);
  await worker.queue(batch as never, { ...env, IMPORTS: held.queue });
  return held.sent;
}

/** Delivers the messages, and those they send, until none is left. */
export async function drain(messages: ImportMessage[]): Promise<number> {
  let queue = [...messages];
  let delivered = 0;
  while (queue.length > 0) {
    const next = queue.shift() as ImportMessage;
    queue = [...queue, ...(await deliver(next))];
    delivered++;
  }
  return delivered;
}

export interface Session {
  sessionId: string;
  status: string;
  totalRows: number;
  processedRows: number;
  created: number;
  updated: number;
  failed: number;
  failedRowsUrl?: string;
  expiresAt: string;
}

export async function sessionOf(key: string, sessionId: string): Promise<Session> {
  const res = await api(`/api/contact/ingestion/${sessionId}`, { key });
  if (res.status !== 200) throw new Error(`session answered ${res.status}`);
  return (await res.json()) as Session;
}

/** Upload, validate with `mappings`, execute, and run the queue to the end. */
export async function importFile(key: string, content: string, mappings: Mappings, options: UploadOptions = {}) {
  const { sessionId } = await uploaded(key, content, options);
  const validation = await validate(key, sessionId, mappings);
  if (validation.status !== 200) throw new Error(`validate answered ${validation.status}: ${await validation.text()}`);
  const { res, held } = await execute(key, sessionId);
  if (res.status !== 202) throw new Error(`execute answered ${res.status}: ${await res.text()}`);
  await drain(held.sent);
  return { sessionId, session: await sessionOf(key, sessionId) };
}
