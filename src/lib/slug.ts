/** Latin letters that NFKD leaves whole (they are letters of their own, not a base plus a mark). */
const LETTERS: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  þ: "th",
  ł: "l",
  ı: "i",
  ħ: "h",
};
const MARKS = /\p{M}+/gu;
const OTHERS = /[^a-z0-9]+/g;
const MAX = 64;
/** Prepended when a slug would start with a digit, and the stem of the fallback name. */
const PREFIX = "attr";

/** FNV-1a (32 bits) as 8 hex digits: a stable stand-in for names no Latin letter survives in. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0) as number;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * The machine name of a custom attribute, from its display name: accents folded (NFKD, marks
 * dropped), lower case, every run of other characters one `_`, no `_` at either end, at most
 * 64 characters, and always matching `^[a-z][a-z0-9_]{0,63}$` (the customAttributes key pattern):
 * a leading digit gets `attr_` in front, and a name with no Latin letter or digit left
 * (`"العمر"`, `"!!!"`) becomes `attr_` plus a hash of it, so distinct names stay distinct.
 *
 * @example slugify("Customer Age")      // "customer_age"
 * @example slugify("  Âge — du client") // "age_du_client"
 * @example slugify("2nd phone")         // "attr_2nd_phone"
 */
export function slugify(displayName: string): string {
  const folded = displayName
    .toLowerCase()
    .normalize("NFKD")
    .replace(MARKS, "")
    .replace(/[ßæœøđðþłıħ]/g, (c) => LETTERS[c] ?? c)
    .replace(OTHERS, "_")
    .replace(/^_+|_+$/g, "");
  if (folded === "") return `${PREFIX}_${fnv1a(displayName.normalize("NFC"))}`;
  const slug = /^[a-z]/.test(folded) ? folded : `${PREFIX}_${folded}`;
  return slug.slice(0, MAX).replace(/_+$/, "");
}
