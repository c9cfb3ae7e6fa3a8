// libphonenumber-js's es6/format.js in the Worker bundle (ALIASES of scripts/build-worker.ts, keyed by the specifier
// its PhoneNumber.js imports it with; no other module of the bundle imports a "./format.js"): the
// formatter behind `PhoneNumber.format()`, `formatNational()` and `getURI()`, with its helpers. The
// service only parses and validates (src/lib/phone.ts reads `isValid()` and `number`, which is built
// without it), and src/lib/phone-metadata.json has no formatting data for it to use anyway. It throws
// if it is ever called. Tests and Node scripts use libphonenumber-js as published.

export default function formatNumber(): never {
  throw new Error("Phone numbers are not formatted in the Worker (src/bundle/libphonenumber-format.ts)");
}
