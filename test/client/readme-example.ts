// The README's typed-client example, verbatim below this comment: `tsc -p .` typechecks it and
// scripts/readme-example.ts fails `npm run typecheck` when the two differ.
import { createClient } from "contacts-edge/client";

const client = createClient("http://localhost:8787", "cek_…"); // the key that npm start printed

const res = await client.api.contact.$post({
  json: { primaryPhone: "+212612345678", firstName: "John", lastName: "Doe" },
});
if (res.status === 201) {
  const contact = await res.json(); // typed: the contact object
  console.log(contact.id, contact.fullName, contact.createdAt);
} else {
  console.error(res.status, await res.text()); // the error envelope
}

const me = await (await client.api.me.$get()).json();
console.log(me.organizationId, me.role);
