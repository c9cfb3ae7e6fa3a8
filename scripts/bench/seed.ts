import { writeFileSync } from "node:fs";
import { uuidv7 } from "../../src/lib/ids";
import { sqlString } from "../lib/wrangler";

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

const ROWS_PER_STATEMENT = 200; // ~70 KB of SQL: under D1's 100 KB per statement

/**
 * A SQL file that creates one organization and `count` contacts in it, as the worker would have
 * stored them (UUIDv7 ids in creation order, E.164 phones, JSON columns). The FTS triggers index
 * them as they are inserted.
 */
export function writeSeedSql(file: string, organizationId: string, count: number): SeedPlan {
  const start = Date.parse("2026-01-01T00:00:00.000Z");
  const lines: string[] = [
    `INSERT INTO organizations (id, name, default_country, created_at) VALUES (${sqlString(organizationId)}, 'Bench search', 'MA', '2026-01-01T00:00:00.000Z');`,
  ];
  const sampleIds: string[] = [];
  const samplePhones: string[] = [];
  let values: string[] = [];
  const flush = () => {
    if (values.length === 0) return;
    lines.push(
      `INSERT INTO contacts (id, organization_id, primary_phone, channels, created_at, updated_at, first_name, last_name, full_name, primary_email, city, custom_attributes) VALUES\n${values.join(",\n")};`,
    );
    values = [];
  };
  for (let i = 0; i < count; i++) {
    const at = start + i * 1000;
    const id = uuidv7(at);
    const phone = `+2126${String(i).padStart(8, "0")}`;
    if (i % Math.max(1, Math.floor(count / 1000)) === 0) {
      sampleIds.push(id);
      samplePhones.push(`06 ${phone.slice(5).replace(/(\d\d)(?=\d)/g, "$1 ")}`);
    }
    const first = FIRST[i % FIRST.length] as string;
    const last = SURNAMES[(i * 7) % SURNAMES.length] as string;
    const iso = new Date(at).toISOString();
    const email = `${first}.${last}.${i}@example.com`.toLowerCase();
    values.push(
      `(${sqlString(id)}, ${sqlString(organizationId)}, '${phone}', '[]', '${iso}', '${iso}', ${sqlString(first)}, ${sqlString(last)}, ${sqlString(`${first} ${last}`)}, ${sqlString(email)}, 'Casablanca', '{}')`,
    );
    if (values.length === ROWS_PER_STATEMENT) flush();
  }
  flush();
  writeFileSync(file, `${lines.join("\n")}\n`);
  return { organizationId, count, sampleIds, samplePhones };
}
