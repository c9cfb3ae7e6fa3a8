/** Where each country's (and non-geographic entity's) array holds what only formatting reads, in metadata version 4. */
const FORMATTING_ONLY = [
  4, // formats
  6, // national prefix formatting rule
  9, // national prefix is optional when formatting
];

type Entry = unknown[];
export interface PhoneMetadata {
  version: number;
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, Entry>;
  nonGeographic?: Record<string, Entry>;
}

/**
 * libphonenumber-js's metadata without what only formatting reads: parsing a number, finding its
 * country and type, and checking its validity read none of it. What src/lib/phone-metadata.json
 * holds, made from the installed package's full ("max") metadata by `npm run phone-metadata`.
 */
export function withoutFormatting(full: PhoneMetadata): PhoneMetadata {
  if (full.version !== 4) throw new Error(`libphonenumber-js metadata version ${full.version}: check FORMATTING_ONLY`);
  const strip = (entries: Record<string, Entry> = {}) =>
    Object.fromEntries(
      Object.entries(entries).map(([id, entry]) => [id, entry.map((v, i) => (FORMATTING_ONLY.includes(i) ? 0 : v))]),
    );
  return { ...full, countries: strip(full.countries), nonGeographic: strip(full.nonGeographic) };
}
