import type { BundleSize } from "./bundle";
import type { Ceiling } from "./ceiling";
import type { Composition } from "./composition";
import type { FirstRequests } from "./first-request";
import type { ImportRun } from "./import";
import type { Measured } from "./load";
import type { StorageUse } from "./seed";
import type { Startup } from "./startup";
import type { StartupCpu } from "./startup-cpu";

/** A scenario whose route is not in this build: reported, not failed. */
export interface Missing {
  missing: string;
}
export const isMissing = (v: unknown): v is Missing => typeof v === "object" && v !== null && "missing" in v;

export interface UpsertRun {
  batches: number;
  batchSize: number;
  contactsPerSecond: number;
  p50: number;
  cpuMsPer1000: number;
  failures: number;
}

export interface BenchResults {
  A: Measured;
  /** A without the request's log line (`x-bench-log: off`): what the line costs. Absent from older runs. */
  A0?: Measured;
  /** A plus one D1 round trip (`SELECT 1`): what the runtime itself charges for touching D1. */
  A1: Measured;
  /**
   * A′ plus one rate-limiter call: the floor of a create, what the runtime charges for the two
   * calls it cannot skip. Absent from runs saved before it existed.
   */
  A2?: Measured;
  B: Measured;
  /**
   * B for an organization with one subscribed endpoint (outbox row, queue send), the queue consumer
   * held while it is measured (before 2026-11-30T21, the consumer's deliveries ran during it). Absent from older runs.
   */
  B1?: Measured | Missing;
  /**
   * B′ with its queue sends discarded (`x-bench-queue: off`), for an organization of its own: what
   * B′ costs without the sends themselves. Absent from runs before 2026-12-01T12.
   */
  B3?: Measured | Missing;
  /**
   * B″ for an organization with one endpoint subscribed (B″s): the create's batch alone, its outbox
   * row written. Absent from runs before 2026-12-01T13.
   */
  B4?: Measured | Missing;
  /** B′'s events once the consumer was released: deliveries the receiver had, and the contacts B′ created. */
  B1Events?: { delivered: number; created: number };
  /** B's floor: the create's own D1 batch and nothing of ours around it (`POST /__bench/create-floor`). Absent from older runs. */
  B2?: Measured;
  /**
   * `floor`: C's new batches through `/__bench/upsert-floor`; `floorUpdated`: the same through
   * `/__bench/upsert-floor?read=1`, one D1 round trip more, for an update's read (absent from older runs).
   */
  C: { created: UpsertRun; updated: UpsertRun; floor?: UpsertRun; floorUpdated?: UpsertRun } | Missing;
  D: {
    search: Measured | Missing;
    deepPage: Measured | Missing;
    readById: Measured | Missing;
    /** The page after the first by `cursor`, and the last one (absent from runs saved before cursors). */
    firstCursorPage?: Measured | Missing;
    lastCursorPage?: Measured | Missing;
    /** `GET /api/contact?primaryPhone=` (absent from runs saved before lookups). */
    phoneLookup?: Measured | Missing;
    contacts: number;
    /** Bytes on disk per contact after seeding (absent from older runs, and when D did not run). */
    storage?: StorageUse;
  };
  E: (Ceiling & { insertRowsPerSecond: number; updateRowsPerSecond: number }) | Missing;
  F: BundleSize | Missing;
  /** A CSV file imported end to end (absent from runs saved before the import). */
  G?: ImportRun | Missing;
  /** `wrangler check startup` on F's bundle, and (`cpu`, absent from older runs) the same startup by workerd's CPU counter. Absent from older runs. */
  H?: (Startup & { cpu?: StartupCpu }) | Missing;
  /** What the Worker defers to the first request of each route group (Node, same bundle). Absent from older runs. */
  H1?: FirstRequests | Missing;
}

export interface Target {
  name: string;
  value: number | null;
  limit: string;
  met: boolean | null;
  /** Why it is not measured, when it is not. */
  note?: string;
}

const fmt = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || Number.isNaN(n)
    ? "n/a"
    : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const int = (n: number) => fmt(n, 0);
const kb = (bytes: number | null) => (bytes === null ? "n/a" : `${fmt(bytes / 1024, 1)} KB`);

function http(m: Measured | Missing): string {
  if (isMissing(m)) return m.missing;
  const failed = m.failures > 0 ? ` · ${m.failures} FAILED (${JSON.stringify(m.statuses)})` : "";
  return `${fmt(m.rps)} req/s · p50 ${fmt(m.p50)} ms · p99 ${fmt(m.p99)} ms · CPU ${fmt(m.cpuMs.workerd, 2)} ms/req (worker ${fmt(m.cpuMs.worker, 2)}, wrangler ${fmt(m.cpuMs.wrangler, 2)}) · n=${m.requests}${failed}`;
}

function upsert(u: UpsertRun): string {
  const failed = u.failures > 0 ? ` · ${u.failures} FAILED` : "";
  return `${int(u.contactsPerSecond)} contacts/s · p50 ${int(u.p50)} ms per ${u.batchSize} · CPU ${fmt(u.cpuMsPer1000, 0)} ms per 1000 · ${u.batches} batches${failed}`;
}

/** Bytes per contact: the total, then each b-tree (the table, each index, the search index's tables). */
function storageLine(storage: StorageUse | undefined): string {
  if (!storage) return "not measured";
  const n = storage.contacts || 1;
  const parts = Object.entries(storage.bytes)
    .filter(([, bytes]) => bytes / n >= 1)
    .map(([name, bytes]) => `${name} ${int(bytes / n)}`);
  const perGb = (1024 ** 3 / storage.bytesPerContact / 1e6).toFixed(2);
  return `${int(storage.bytesPerContact)} B (${parts.join(" · ")}) · ${perGb} million contacts per GB`;
}

function composition(c: Composition): string {
  const floor = `dependencies alone ${kb(c.dependencies.gzipBytes)} · with the phone metadata ${kb(c.dependenciesAndMetadata.gzipBytes)} · src/ ${kb(c.own.gzipBytes)}`;
  return `${floor} · ${c.groups.map((g) => `${g.name} ${kb(g.gzipBytes)}`).join(" · ")}`;
}

function startup(h: Startup): string {
  const top = h.top.map((t) => `${t.category} ${fmt(t.ms, 1)}`).join(" · ");
  return `sampled: median ${fmt(h.medianActiveMs, 1)} ms active CPU (runs: ${h.activeMs.map((ms) => fmt(ms, 1)).join(", ")}) · largest, mean ms: ${top}`;
}

function startupCpu(c: StartupCpu): string {
  const runs = (xs: number[]) => xs.map((ms) => fmt(ms, 1)).join(", ");
  return (
    `CPU ms of a new isolate's first request, median: entry ${fmt(c.medianEntryMs, 2)} (runs: ${runs(c.entryMs)}) · ` +
    `hello-world ${fmt(c.medianHelloMs, 2)} · every module at once ${fmt(c.medianAllModulesMs, 1)}`
  );
}

function firstRequests(h1: FirstRequests): string {
  const each = h1.requests.map((q) => `${q.request} ${fmt(q.firstMs, 1)} (then ${fmt(q.secondMs, 1)})`).join(" · ");
  return `CPU ms, median of runs: import ${fmt(h1.importMs, 1)} · ${each}`;
}

/** Ratios and differences the targets are stated in. */
export function derive(r: BenchResults) {
  const read = isMissing(r.D.readById) ? null : r.D.readById.p50;
  const over = (m: Measured | Missing) => (isMissing(m) || !read ? null : m.p50 / read);
  const cNew = isMissing(r.C) ? null : r.C.created.contactsPerSecond;
  const cUpd = isMissing(r.C) ? null : r.C.updated.contactsPerSecond;
  const eNew = isMissing(r.E) ? null : r.E.insertRowsPerSecond;
  const cFloor = isMissing(r.C) ? null : (r.C.floor?.contactsPerSecond ?? null);
  // Older runs had no floor of their own for updates: the new batches' (one round trip) stood for it.
  const cFloorUpd = isMissing(r.C) ? null : (r.C.floorUpdated?.contactsPerSecond ?? cFloor);
  const eUpd = isMissing(r.E) ? null : r.E.updateRowsPerSecond;
  return {
    aOverA0: r.A0 ? r.A.rps / r.A0.rps : null,
    logLineCpuMs: r.A0 ? r.A.cpuMs.workerd - r.A0.cpuMs.workerd : null,
    logLineWranglerCpuMs: r.A0 ? r.A.cpuMs.wrangler - r.A0.cpuMs.wrangler : null,
    startupMs: r.H && !isMissing(r.H) ? r.H.medianActiveMs : null,
    startupCpuMs: r.H && !isMissing(r.H) ? (r.H.cpu?.medianEntryMs ?? null) : null,
    bOverA: r.B.rps / r.A.rps,
    /** B against its floor (A″: the runtime's D1 round trip and rate-limiter call, nothing of ours). */
    bOverFloor: r.A2 ? r.B.rps / r.A2.rps : null,
    /** The best B/A″ a create that writes B's batch can reach here (B″: that batch and nothing of ours around it). */
    createFloorOverFloor: r.B2 && r.A2 ? r.B2.rps / r.A2.rps : null,
    /** B against B″: what our code around the write (key, validation, phone, routing) leaves of the batch's speed. */
    bOverCreateFloor: r.B2 ? r.B.rps / r.B2.rps : null,
    createFloorCpuMs: r.B2 && r.A2 ? r.B2.cpuMs.workerd - r.A2.cpuMs.workerd : null,
    beyondCreateFloorCpuMs: r.B2 ? r.B.cpuMs.workerd - r.B2.cpuMs.workerd : null,
    b1OverB: r.B1 && !isMissing(r.B1) ? r.B1.rps / r.B.rps : null,
    b1CpuDeltaMs: r.B1 && !isMissing(r.B1) ? r.B1.cpuMs.workerd - r.B.cpuMs.workerd : null,
    /** B′ without its sends (serialised, never made): what B′/B would be if a send cost nothing. */
    b3OverB: r.B3 && !isMissing(r.B3) ? r.B3.rps / r.B.rps : null,
    /** What B′'s sends cost this process: the binding, and locally miniflare's queue broker (B′ − B‴). */
    sendCpuMs: r.B1 && r.B3 && !isMissing(r.B1) && !isMissing(r.B3) ? r.B1.cpuMs.workerd - r.B3.cpuMs.workerd : null,
    /** The outbox row in the create's batch, nothing of ours around it: B″s against B″. */
    b4OverB2: r.B4 && r.B2 && !isMissing(r.B4) ? r.B4.rps / r.B2.rps : null,
    rowCpuMs: r.B4 && r.B2 && !isMissing(r.B4) ? r.B4.cpuMs.workerd - r.B2.cpuMs.workerd : null,
    cpuDeltaMs: r.B.cpuMs.workerd - r.A.cpuMs.workerd,
    workerCpuDeltaMs: r.B.cpuMs.worker - r.A.cpuMs.worker,
    d1RoundTripCpuMs: r.A1.cpuMs.workerd - r.A.cpuMs.workerd,
    beyondD1CpuMs: r.B.cpuMs.workerd - r.A1.cpuMs.workerd,
    rateLimiterCpuMs: r.A2 ? r.A2.cpuMs.workerd - r.A1.cpuMs.workerd : null,
    floorCpuMs: r.A2 ? r.A2.cpuMs.workerd - r.A.cpuMs.workerd : null,
    /** The best B/A any create with a rate-limiter call and a D1 write can reach here. */
    floorOverA: r.A2 ? r.A2.rps / r.A.rps : null,
    beyondFloorCpuMs: r.A2 ? r.B.cpuMs.workerd - r.A2.cpuMs.workerd : null,
    cNewOverE: cNew !== null && eNew ? cNew / eNew : null,
    cUpdatedOverE: cUpd !== null && eUpd ? cUpd / eUpd : null,
    /** The best C ÷ E here: a batch takes at least C″'s time plus SQLite's own (E's). */
    floorOverENew: cFloor && eNew ? 1 / eNew / (1 / cFloor + 1 / eNew) : null,
    floorOverEUpdated: cFloorUpd && eUpd ? 1 / eUpd / (1 / cFloorUpd + 1 / eUpd) : null,
    searchOverRead: over(r.D.search),
    deepPageOverRead: over(r.D.deepPage),
    lastOverFirstCursorPage:
      !r.D.firstCursorPage || !r.D.lastCursorPage || isMissing(r.D.firstCursorPage) || isMissing(r.D.lastCursorPage)
        ? null
        : r.D.lastCursorPage.p50 / r.D.firstCursorPage.p50,
    phoneLookupOverRead: over(r.D.phoneLookup ?? { missing: "not measured" }),
    lastCursorPageOverRead: over(r.D.lastCursorPage ?? { missing: "not measured" }),
    bytesPerContact: r.D.storage?.bytesPerContact ?? null,
    gzipBytes: isMissing(r.F) ? null : (r.F.wranglerGzipBytes ?? r.F.gzipBytes),
    gOverE: r.G && !isMissing(r.G) && eNew ? r.G.rowsPerSecond / eNew : null,
  };
}

export function targetsOf(r: BenchResults): Target[] {
  const d = derive(r);
  const check = (name: string, value: number | null, limit: string, ok: (v: number) => boolean, note?: string) => ({
    name,
    value,
    limit,
    met: value === null ? null : ok(value),
    ...(value === null && note ? { note } : {}),
  });
  const missingNote = (...parts: unknown[]) => parts.filter(isMissing).map((m) => m.missing)[0];
  return [
    check(
      "H startup CPU ms (a new isolate's first request, workerd's CPU counter)",
      d.startupCpuMs,
      "≤ 20",
      (v) => v <= 20,
      r.H && isMissing(r.H) ? r.H.missing : "not measured",
    ),
    check("A/A0 requests per second (the request log line)", d.aOverA0, "≥ 0.9", (v) => v >= 0.9, "not measured"),
    {
      ...check("B/A requests per second", d.bOverA, "≥ 0.6", (v) => v >= 0.6),
      note: `(the floor alone, A″/A, reaches ${fmt(d.floorOverA, 2)} here)`,
    },
    {
      ...check("B CPU − A CPU (ms/req, all workerd)", d.cpuDeltaMs, "≤ 0.75", (v) => v <= 0.75),
      note: `(the floor alone, A″ − A, costs ${fmt(d.floorCpuMs, 2)} ms here: D1 round trip ${fmt(d.d1RoundTripCpuMs, 2)} + rate limiter ${fmt(d.rateLimiterCpuMs, 2)}; B − A″ = ${fmt(d.beyondFloorCpuMs, 2)} ms)`,
    },
    {
      ...check(
        "B/A″ requests per second (B against its floor)",
        d.bOverFloor,
        "≥ 0.85",
        (v) => v >= 0.85,
        "not measured",
      ),
      note: `(the create's own D1 batch alone, B″/A″, reaches ${fmt(d.createFloorOverFloor, 2)} here)`,
    },
    {
      ...check(
        "B′/B requests per second (one endpoint subscribed)",
        d.b1OverB,
        "≥ 0.9",
        (v) => v >= 0.9,
        r.B1 && isMissing(r.B1) ? r.B1.missing : "not measured",
      ),
      note: `(with its sends discarded, B‴/B, ${fmt(d.b3OverB, 2)} here; the batch with its outbox row against without, B″s/B″, ${fmt(d.b4OverB2, 2)})`,
    },
    check("C new ÷ E inserts", d.cNewOverE, "≥ 0.6", (v) => v >= 0.6, missingNote(r.C, r.E)),
    {
      ...check("C updates ÷ E updates", d.cUpdatedOverE, "≥ 0.5", (v) => v >= 0.5, missingNote(r.C, r.E)),
      note: `(a read and a write with nothing of ours, C″ with its read, plus E's own time reach ${fmt(d.floorOverEUpdated, 2)} here)`,
    },
    check(
      "D search p50 ÷ read-by-id p50",
      d.searchOverRead,
      "≤ 5",
      (v) => v <= 5,
      missingNote(r.D.search, r.D.readById),
    ),
    check(
      "D deep page p50 ÷ read-by-id p50",
      d.deepPageOverRead,
      "≤ 5",
      (v) => v <= 5,
      missingNote(r.D.deepPage, r.D.readById),
    ),
    check(
      "D last cursor page p50 ÷ first cursor page p50",
      d.lastOverFirstCursorPage,
      "≤ 1.5",
      (v) => v <= 1.5,
      missingNote(
        r.D.firstCursorPage ?? { missing: "not measured" },
        r.D.lastCursorPage ?? { missing: "not measured" },
      ),
    ),
    check(
      "D last cursor page p50 ÷ read-by-id p50",
      d.lastCursorPageOverRead,
      "≤ 1.5",
      (v) => v <= 1.5,
      missingNote(r.D.lastCursorPage ?? { missing: "not measured" }, r.D.readById),
    ),
    check(
      "D phone lookup p50 ÷ read-by-id p50",
      d.phoneLookupOverRead,
      "≤ 1.5",
      (v) => v <= 1.5,
      missingNote(r.D.phoneLookup ?? { missing: "not measured" }, r.D.readById),
    ),
    check(
      "G import rows/s ÷ E inserts",
      d.gOverE,
      "≥ 0.3",
      (v) => v >= 0.3,
      missingNote(r.G ?? { missing: "not measured" }, r.E),
    ),
    check("F gzip KB", d.gzipBytes === null ? null : d.gzipBytes / 1024, "≤ 130", (v) => v <= 130, missingNote(r.F)),
  ];
}

function firstRequestMetrics(h1: FirstRequests | Missing | undefined): Record<string, number | null> {
  if (!h1 || isMissing(h1)) return {};
  return {
    "H′ bundle import CPU ms (Node)": h1.importMs,
    ...Object.fromEntries(
      h1.requests.flatMap((q) => [
        [`H′ ${q.request} first CPU ms`, q.firstMs],
        [`H′ ${q.request} second CPU ms`, q.secondMs],
      ]),
    ),
  };
}

/** Every number of a run under a stable name: what `--compare` lines up. */
export function flatten(r: BenchResults): Record<string, number | null> {
  const d = derive(r);
  const m = (prefix: string, v: Measured | Missing): Record<string, number | null> =>
    isMissing(v)
      ? {
          [`${prefix} req/s`]: null,
          [`${prefix} p50 ms`]: null,
          [`${prefix} p99 ms`]: null,
          [`${prefix} CPU ms/req`]: null,
        }
      : {
          [`${prefix} req/s`]: v.rps,
          [`${prefix} p50 ms`]: v.p50,
          [`${prefix} p99 ms`]: v.p99,
          [`${prefix} CPU ms/req`]: v.cpuMs.workerd,
        };
  const c = isMissing(r.C) ? null : r.C;
  const e = isMissing(r.E) ? null : r.E;
  const h = r.H && !isMissing(r.H) ? r.H : null;
  return {
    ...m("A", r.A),
    ...m("A0 unlogged", r.A0 ?? { missing: "not measured" }),
    "A/A0": d.aOverA0,
    "A−A0 CPU ms (log line)": d.logLineCpuMs,
    ...m("A′ d1", r.A1),
    ...m("A″ floor", r.A2 ?? { missing: "not measured" }),
    ...m("B", r.B),
    ...m("B′ subscribed", r.B1 ?? { missing: "not measured" }),
    "B/A": d.bOverA,
    "B/A″": d.bOverFloor,
    "B′/B": d.b1OverB,
    ...m("B‴ sends discarded", r.B3 ?? { missing: "not measured" }),
    "B‴/B": d.b3OverB,
    "B′−B‴ CPU ms": d.sendCpuMs,
    ...m("B″s subscribed create floor", r.B4 ?? { missing: "not measured" }),
    "B″s/B″": d.b4OverB2,
    "B″s−B″ CPU ms (the outbox row)": d.rowCpuMs,
    ...m("B″ create floor", r.B2 ?? { missing: "not measured" }),
    "B″/A″": d.createFloorOverFloor,
    "B/B″": d.bOverCreateFloor,
    "B″−A″ CPU ms (the create's batch)": d.createFloorCpuMs,
    "B−B″ CPU ms (our code around it)": d.beyondCreateFloorCpuMs,
    "B′ events delivered": r.B1Events?.delivered ?? null,
    "B′ contacts created": r.B1Events?.created ?? null,
    "B−A CPU ms": d.cpuDeltaMs,
    "A′−A CPU ms (D1 round trip)": d.d1RoundTripCpuMs,
    "B−A′ CPU ms": d.beyondD1CpuMs,
    "A″−A′ CPU ms (rate limiter)": d.rateLimiterCpuMs,
    "A″/A": d.floorOverA,
    "B−A″ CPU ms": d.beyondFloorCpuMs,
    "C new contacts/s": c?.created.contactsPerSecond ?? null,
    "C new CPU ms/1000": c?.created.cpuMsPer1000 ?? null,
    "C updated contacts/s": c?.updated.contactsPerSecond ?? null,
    "C updated CPU ms/1000": c?.updated.cpuMsPer1000 ?? null,
    "C″ floor contacts/s": c?.floor?.contactsPerSecond ?? null,
    "C″ floor CPU ms/1000": c?.floor?.cpuMsPer1000 ?? null,
    "C″ floor p50 ms": c?.floor?.p50 ?? null,
    "C″ floor with its read (updates) contacts/s": c?.floorUpdated?.contactsPerSecond ?? null,
    "C″ floor with its read (updates) p50 ms": c?.floorUpdated?.p50 ?? null,
    "C new p50 ms": c?.created.p50 ?? null,
    "C updated p50 ms": c?.updated.p50 ?? null,
    ...m("D search", r.D.search),
    ...m("D deep page", r.D.deepPage),
    ...m("D read-by-id", r.D.readById),
    ...m("D first cursor page", r.D.firstCursorPage ?? { missing: "not measured" }),
    ...m("D last cursor page", r.D.lastCursorPage ?? { missing: "not measured" }),
    ...m("D phone lookup", r.D.phoneLookup ?? { missing: "not measured" }),
    "D last/first cursor page": d.lastOverFirstCursorPage,
    "D phone lookup/read": d.phoneLookupOverRead,
    "D search/read": d.searchOverRead,
    "D deep page/read": d.deepPageOverRead,
    "D last cursor page/read": d.lastCursorPageOverRead,
    "D contacts": r.D.contacts || null,
    "D bytes per contact": d.bytesPerContact,
    ...Object.fromEntries(
      Object.entries(r.D.storage?.bytes ?? {}).map(([name, bytes]) => [
        `D bytes per contact: ${name}`,
        r.D.storage?.contacts ? bytes / r.D.storage.contacts : null,
      ]),
    ),
    "E inserts rows/s": e?.insertRowsPerSecond ?? null,
    "E updates rows/s": e?.updateRowsPerSecond ?? null,
    "C/E new": d.cNewOverE,
    "C/E updates": d.cUpdatedOverE,
    "best C/E new (C″ + E)": d.floorOverENew,
    "best C/E updates (C″ with its read + E)": d.floorOverEUpdated,
    "F bytes": isMissing(r.F) ? null : (r.F.wranglerBytes ?? r.F.bytes),
    "F gzip bytes": d.gzipBytes,
    "F dependencies alone gzip bytes": isMissing(r.F) ? null : (r.F.composition?.dependencies.gzipBytes ?? null),
    "F dependencies + phone metadata gzip bytes": isMissing(r.F)
      ? null
      : (r.F.composition?.dependenciesAndMetadata.gzipBytes ?? null),
    "F src/ gzip bytes": isMissing(r.F) ? null : (r.F.composition?.own.gzipBytes ?? null),
    "G import rows/s": r.G && !isMissing(r.G) ? r.G.rowsPerSecond : null,
    "G CPU ms/1000 rows": r.G && !isMissing(r.G) ? r.G.cpuMsPer1000 : null,
    "G/E": d.gOverE,
    "H startup ms (median)": d.startupMs,
    "H startup ms (min)": h ? Math.min(...h.activeMs) : null,
    "H startup ms (max)": h ? Math.max(...h.activeMs) : null,
    "H startup CPU ms, entry (counter)": h?.cpu?.medianEntryMs ?? null,
    "H startup CPU ms, hello-world (counter)": h?.cpu?.medianHelloMs ?? null,
    "H startup CPU ms, every module at once (counter)": h?.cpu?.medianAllModulesMs ?? null,
    ...firstRequestMetrics(r.H1),
  };
}

function columns(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The one table `npm run bench` prints. */
export function renderTable(r: BenchResults): string {
  const d = derive(r);
  const c = r.C;
  const e = r.E;
  const rows: string[][] = [
    ["", "scenario", "result"],
    ["A", "GET /health", http(r.A)],
    ["A0", "GET /health, x-bench-log: off (A without its log line)", r.A0 ? http(r.A0) : "not measured"],
    [
      "",
      "A/A0 · A CPU − A0 CPU",
      `${fmt(d.aOverA0, 2)} · ${fmt(d.logLineCpuMs, 2)} ms/req (of which wrangler's Node.js, which receives the lines: ${fmt(d.logLineWranglerCpuMs, 2)})`,
    ],
    ["A′", "GET /__bench/d1 (A + one D1 SELECT 1)", http(r.A1)],
    ["A″", "GET /__bench/floor (A′ + one rate-limiter call)", r.A2 ? http(r.A2) : "not measured"],
    ["B", "POST /api/contact (fresh phones)", http(r.B)],
    ["B″", "POST /__bench/create-floor (B's D1 batch, nothing around it)", r.B2 ? http(r.B2) : "not measured"],
    [
      "",
      "B″/A″ · B/B″",
      `${fmt(d.createFloorOverFloor, 2)} · ${fmt(d.bOverCreateFloor, 2)} (CPU: the batch B″ − A″ = ${fmt(d.createFloorCpuMs, 2)} ms/req, our code around it B − B″ = ${fmt(d.beyondCreateFloorCpuMs, 2)} ms/req)`,
    ],
    [
      "B′",
      "B, one endpoint subscribed (outbox + queue send; consumer held)",
      !r.B1 ? "not measured" : isMissing(r.B1) ? r.B1.missing : http(r.B1),
    ],
    [
      "",
      "B′/B · B′ CPU − B CPU · events once released",
      `${fmt(d.b1OverB, 2)} · ${fmt(d.b1CpuDeltaMs, 2)} ms/req · ${r.B1Events ? `${r.B1Events.delivered} delivered for ${r.B1Events.created} contacts created` : "not measured"}`,
    ],
    [
      "B‴",
      "B′, its queue sends discarded (x-bench-queue: off)",
      !r.B3 ? "not measured" : isMissing(r.B3) ? r.B3.missing : http(r.B3),
    ],
    [
      "",
      "B‴/B · B′ CPU − B‴ CPU (the sends: the binding and the local queue)",
      `${fmt(d.b3OverB, 2)} · ${fmt(d.sendCpuMs, 2)} ms/req`,
    ],
    [
      "B″s",
      "B″ for an organization with an endpoint (its batch writes the outbox row)",
      !r.B4 ? "not measured" : isMissing(r.B4) ? r.B4.missing : http(r.B4),
    ],
    ["", "B″s/B″ · B″s CPU − B″ CPU (the outbox row)", `${fmt(d.b4OverB2, 2)} · ${fmt(d.rowCpuMs, 2)} ms/req`],
    [
      "",
      "B/A · B CPU − A CPU",
      `${fmt(d.bOverA, 2)} · ${fmt(d.cpuDeltaMs, 2)} ms/req (worker process only: ${fmt(d.workerCpuDeltaMs, 2)})`,
    ],
    [
      "",
      "of which: the floor · the rest",
      `A″ − A = ${fmt(d.floorCpuMs, 2)} ms/req (D1 round trip ${fmt(d.d1RoundTripCpuMs, 2)}, rate limiter ${fmt(d.rateLimiterCpuMs, 2)}) · B − A″ = ${fmt(d.beyondFloorCpuMs, 2)} ms/req (our code, drizzle, the INSERT's own SQL)`,
    ],
    [
      "",
      "A″/A",
      `${fmt(d.floorOverA, 2)}: the best B/A a create with a rate-limiter call and a D1 write can reach here`,
    ],
    ["C", "POST /api/contact/upsert, 1000 new", isMissing(c) ? c.missing : upsert(c.created)],
    ["C", "POST /api/contact/upsert, 1000 updates", isMissing(c) ? c.missing : upsert(c.updated)],
    [
      "C″",
      "POST /__bench/upsert-floor, 1000 (C's floor)",
      isMissing(c) ? c.missing : c.floor ? upsert(c.floor) : "not measured",
    ],
    [
      "C″",
      "POST /__bench/upsert-floor?read=1, 1000 (a read first: updates' floor)",
      isMissing(c) ? c.missing : c.floorUpdated ? upsert(c.floorUpdated) : "not measured",
    ],
    ["D", `GET /api/contact?search= (${int(r.D.contacts)} contacts)`, http(r.D.search)],
    ["D", "GET /api/contact?page=<last>&limit=100", http(r.D.deepPage)],
    ["D", "GET /api/contact/:id (reference)", http(r.D.readById)],
    ["D", "GET /api/contact?limit=100&cursor=<after page 1>", http(r.D.firstCursorPage ?? { missing: "not measured" })],
    ["D", "GET /api/contact?limit=100&cursor=<last page>", http(r.D.lastCursorPage ?? { missing: "not measured" })],
    ["D", "GET /api/contact?primaryPhone=<national>", http(r.D.phoneLookup ?? { missing: "not measured" })],
    [
      "",
      "D p50 ÷ read-by-id p50",
      `search ${fmt(d.searchOverRead, 2)} · deep page ${fmt(d.deepPageOverRead, 2)} · last cursor page ${fmt(d.lastCursorPageOverRead, 2)} · phone lookup ${fmt(d.phoneLookupOverRead, 2)}`,
    ],
    ["D", "bytes on disk per contact", storageLine(r.D.storage)],
    ["", "D last ÷ first cursor page p50", fmt(d.lastOverFirstCursorPage, 2)],
    [
      "E",
      "SQLite ceiling, same 1000 rows, 1 transaction",
      isMissing(e)
        ? e.missing
        : `${int(e.insertRowsPerSecond)} rows/s inserted · ${int(e.updateRowsPerSecond)} rows/s updated (${e.engine}, SQLite ${e.sqliteVersion})`,
    ],
    ["", "C ÷ E", `new ${fmt(d.cNewOverE, 3)} · updates ${fmt(d.cUpdatedOverE, 3)}`],
    [
      "",
      "the best C ÷ E here",
      `new ${fmt(d.floorOverENew, 3)} · updates ${fmt(d.floorOverEUpdated, 3)}: a batch that took C″'s time (with its read, for updates) plus E's, with no code of ours`,
    ],
    [
      "F",
      "wrangler deploy --dry-run bundle",
      isMissing(r.F) ? r.F.missing : `${kb(r.F.wranglerBytes ?? r.F.bytes)} · gzip ${kb(d.gzipBytes)}`,
    ],
    ...(isMissing(r.F) || !r.F.composition ? [] : [["", "F by gzip, each group alone", composition(r.F.composition)]]),
    ["H", "wrangler check startup on F's bundle", !r.H ? "not measured" : isMissing(r.H) ? r.H.missing : startup(r.H)],
    ...(r.H && !isMissing(r.H) && r.H.cpu
      ? [["", "the same startup, workerd's CPU counter", startupCpu(r.H.cpu)]]
      : []),
    [
      "H′",
      "first request per route group (Node, same bundle)",
      !r.H1 ? "not measured" : isMissing(r.H1) ? r.H1.missing : firstRequests(r.H1),
    ],
  ];
  const g = r.G ?? { missing: "not measured" };
  rows.push([
    "G",
    isMissing(g) ? "CSV import, end to end" : `CSV import of ${int(g.rows)} rows (${kb(g.bytes)}), end to end`,
    isMissing(g)
      ? g.missing
      : `${int(g.rowsPerSecond)} rows/s · ${fmt(g.totalSeconds)} s: upload ${fmt(g.uploadSeconds)} · validate ${fmt(g.validateSeconds)} · execute ${fmt(g.executeSeconds)} · CPU ${fmt(g.cpuMsPer1000, 0)} ms per 1000 · G ÷ E ${fmt(d.gOverE, 3)}`,
  ]);
  const targets = targetsOf(r).map((t) => [
    t.met === null ? "n/a" : t.met ? "met" : "NOT MET",
    t.name,
    `${fmt(t.value, 2)} (target ${t.limit})${t.note ? ` ${t.note}` : ""}`,
  ]);
  return `${columns(rows)}\n\nTargets\n${columns(targets)}`;
}

/** Two runs side by side: every number, and its change. */
export function renderComparison(before: Record<string, number | null>, after: Record<string, number | null>): string {
  const rows = [["metric", "before", "after", "change"]];
  for (const key of Object.keys(after)) {
    const a = before[key];
    const b = after[key];
    const change = a && b !== null && b !== undefined ? `${b >= a ? "+" : ""}${fmt(((b - a) / a) * 100, 1)}%` : "";
    rows.push([key, fmt(a, 2), fmt(b, 2), change]);
  }
  return columns(rows);
}
