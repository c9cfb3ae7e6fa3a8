import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { uuidv7 } from "../../src/lib/ids";

const FIRST = [
  "James",
  "Mary",
  "John",
  "Patricia",
  "Robert",
  "Jennifer",
  "Michael",
  "Linda",
  "David",
  "Elizabeth",
  "Youssef",
  "Fatima",
  "Omar",
  "Aicha",
  "Karim",
  "Salma",
  "Mehdi",
  "Imane",
  "Hamza",
  "Nadia",
  "Lucas",
  "Emma",
  "Hugo",
  "Chloe",
  "Louis",
  "Lea",
  "Jules",
  "Manon",
  "Arthur",
  "Camille",
  "Mateo",
  "Sofia",
  "Diego",
  "Lucia",
  "Pablo",
  "Elena",
  "Marco",
  "Giulia",
  "Luca",
  "Chiara",
  "Noah",
  "Mia",
  "Liam",
  "Zoe",
  "Ethan",
  "Ava",
  "Leo",
  "Nora",
  "Adam",
  "Ines",
];
const ONSETS = [
  "Bar",
  "Cal",
  "Dor",
  "Fen",
  "Gal",
  "Hol",
  "Kes",
  "Lom",
  "Mar",
  "Nov",
  "Pel",
  "Quin",
  "Ros",
  "Sal",
  "Tor",
  "Vel",
  "Wes",
  "Yar",
  "Zam",
  "Bren",
];
const CODAS = ["ani", "berg", "cott", "dale", "eau", "ford", "gado", "hardt", "ini", "kova"];
/** 200 distinct surnames; each is carried by 1/200 of the seeded contacts. */
export const SURNAMES = ONSETS.flatMap((onset) => CODAS.map((coda) => `${onset}${coda}`));

export interface SeedPlan {
  organizationId: string;
  count: number;
  /** Ids of a spread of seeded contacts, for GET /api/contact/:id. */
  sampleIds: string[];
  /** Their phones, as a Moroccan caller types them (national, spaced): for GET /api/contact?primaryPhone=. */
  samplePhones: string[];
}

interface Sqlite {
  exec(sql: string): void;
  prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
  close(): void;
}

/** node:sqlite (Node 22.5+; npm scripts run on the Node.js in node_modules), as sqlite-ceiling.ts opens it. */
export function openSqlite(file: string): Sqlite {
  const { DatabaseSync } = createRequire(import.meta.url)("node:sqlite") as {
    DatabaseSync: new (file: string) => Sqlite;
  };
  return new DatabaseSync(file);
}

/**
 * The SQLite file behind the local D1 of a `--persist-to` folder (once its migrations were
 * applied): the one file of miniflare's D1 Durable Object.
 */
export function localD1File(persistTo: string): string {
  const dir = path.join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.join(", ") || "none"}`);
  return path.join(dir, files[0] as string);
}

const COLUMNS = [
  "id",
  "organization_id",
  "primary_phone",
  "channels",
  "created_at",
  "updated_at",
  "first_name",
  "last_name",
  "full_name",
  "primary_email",
  "city",
  "custom_attributes",
];
const ROWS_PER_TRANSACTION = 10_000;

/**
 * One organization and `count` contacts in it, written straight into the local D1's SQLite file
 * (wrangler dev must not be serving it): as the worker would have stored them (UUIDv7 ids in
 * creation order, E.164 phones, JSON columns), one row at a time with every index and the FTS
 * triggers in place, so the indexes grow as they would in production. About a minute per million.
 */
export function seedContacts(file: string, organizationId: string, count: number): SeedPlan {
  const db = openSqlite(file);
  try {
    // A bigger page cache for the seeding connection only: index pages stay in memory between rows.
    db.exec("PRAGMA cache_size = -262144");
    db.prepare(
      "INSERT INTO organizations (id, name, default_country, created_at) VALUES (?, 'Bench search', 'MA', '2026-01-01T00:00:00.000Z')",
    ).run(organizationId);
    const insert = db.prepare(
      `INSERT INTO contacts (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`,
    );
    const start = Date.parse("2026-01-01T00:00:00.000Z");
    const sampleIds: string[] = [];
    const samplePhones: string[] = [];
    const every = Math.max(1, Math.floor(count / 1000));
    db.exec("BEGIN");
    for (let i = 0; i < count; i++) {
      const at = start + i * 1000;
      const id = uuidv7(at);
      const phone = `+2126${String(i).padStart(8, "0")}`;
      if (i % every === 0) {
        sampleIds.push(id);
        samplePhones.push(`06 ${phone.slice(5).replace(/(\d\d)(?=\d)/g, "$1 ")}`);
      }
      const first = FIRST[i % FIRST.length] as string;
      const last = SURNAMES[(i * 7) % SURNAMES.length] as string;
      const iso = new Date(at).toISOString();
      const email = `${first}.${last}.${i}@example.com`.toLowerCase();
      insert.run(id, organizationId, phone, "[]", iso, iso, first, last, `${first} ${last}`, email, "Casablanca", "{}");
      if ((i + 1) % ROWS_PER_TRANSACTION === 0) db.exec("COMMIT; BEGIN");
    }
    db.exec("COMMIT");
    return { organizationId, count, sampleIds, samplePhones };
  } finally {
    db.close();
  }
}

export interface StorageUse {
  contacts: number;
  /** Bytes on disk (whole pages) of each b-tree that holds contacts: the table, each index, the search index's tables. */
  bytes: Record<string, number>;
  /** Everything above, divided by the contacts. */
  bytesPerContact: number;
  /** The file, all tables. */
  fileBytes: number;
}

/** The search index (FTS5) is several tables: `contacts_search_data`, `_idx`, `_docsize`, `_config`. */
const CONTACT_BTREES = /^(contacts$|contacts_search|contacts_|sqlite_autoindex_contacts_)/;

/**
 * On-disk bytes per contact, from SQLite's `dbstat` (pages, so free space inside pages counts, as
 * it does on disk), per b-tree: the `contacts` table, each of its indexes, and the search index.
 */
export function storageUse(file: string): StorageUse {
  const db = openSqlite(file);
  try {
    const rows = db
      .prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC")
      .all() as {
      name: string;
      bytes: number;
    }[];
    const [{ n }] = db.prepare("SELECT count(*) AS n FROM contacts").all() as [{ n: number }];
    const bytes = Object.fromEntries(rows.filter((r) => CONTACT_BTREES.test(r.name)).map((r) => [r.name, r.bytes]));
    const total = Object.values(bytes).reduce((sum, b) => sum + b, 0);
    return {
      contacts: n,
      bytes,
      bytesPerContact: n > 0 ? total / n : 0,
      fileBytes: rows.reduce((sum, r) => sum + r.bytes, 0),
    };
  } finally {
    db.close();
  }
}
