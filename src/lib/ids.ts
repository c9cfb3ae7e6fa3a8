import { byteHex } from "./crypto";

/** 74 random bits an id: 10 bytes, of which the version and variant take 6 bits. */
const RANDOM_BYTES = 10;
/** Drawn from the CSPRNG 100 ids at a time: an upsert of 1000 contacts makes 2000 ids (contacts and events). */
const POOL_BYTES = 100 * RANDOM_BYTES;
const pool = { bytes: new Uint8Array(0), next: 0 };

/** Where the next id's random bytes start in `pool.bytes` (refilled when it runs out). */
function takeRandom(): number {
  if (pool.next + RANDOM_BYTES > pool.bytes.length) {
    pool.bytes = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    pool.next = 0;
  }
  pool.next += RANDOM_BYTES;
  return pool.next - RANDOM_BYTES;
}

/** The two hex digits of `bytes[i]`: a plain function, as a closure made per id would double the id's time (V8 allocates its context on each call). */
const hexOf = (hex: string[], bytes: Uint8Array, i: number) => hex[bytes[i] as number] as string;

/** The id's first 13 hex digits and dashes for the last millisecond seen: ids come in bursts of one time (an upsert's 1000 contacts and their events). */
const last = { ms: Number.NaN, prefix: "" };

/**
 * UUIDv7 (RFC 9562): a 48-bit millisecond timestamp, then random bits. Time-ordered ids
 * append to the primary-key index instead of scattering writes across it.
 *
 * @example uuidv7(Date.parse("2026-01-01T00:00:00.000Z")) // "019b7726-f340-7…"
 */
export function uuidv7(now = Date.now()): string {
  const ms = Math.trunc(now);
  if (ms !== last.ms) {
    const ts = ms.toString(16).padStart(12, "0");
    last.ms = ms;
    last.prefix = `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7`;
  }
  const hex = byteHex();
  const at = takeRandom();
  const r = pool.bytes;
  const version = `${((r[at] as number) & 0x0f).toString(16)}${hexOf(hex, r, at + 1)}`;
  const variant = `${hex[((r[at + 2] as number) & 0x3f) | 0x80]}${hexOf(hex, r, at + 3)}`;
  let node = "";
  for (let i = 4; i < RANDOM_BYTES; i++) node += hexOf(hex, r, at + i);
  return `${last.prefix}${version}-${variant}-${node}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
