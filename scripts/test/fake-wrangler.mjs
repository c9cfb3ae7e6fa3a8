#!/usr/bin/env node
// A stand-in for `wrangler` on PATH, for the tests of scripts/setup.ts and scripts/deploy.ts: it appends
// each command line to $FAKE_WRANGLER_LOG (one JSON array a line), keeps what exists on the "account"
// in $FAKE_WRANGLER_STATE, and answers the commands those scripts run as wrangler 4 does, with the
// same JSON shapes. Anything else fails, so that an unexpected command shows in the test.
import { randomBytes, randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
appendFileSync(process.env.FAKE_WRANGLER_LOG, `${JSON.stringify(args)}\n`);

const statePath = process.env.FAKE_WRANGLER_STATE;
const state = existsSync(statePath)
  ? JSON.parse(readFileSync(statePath, "utf8"))
  : { d1: [], kv: [], queues: [], r2: [], migrated: [], entries: {}, rows: [] };
const save = () => writeFileSync(statePath, JSON.stringify(state));

/** The value after `--flag`. */
const option = (flag) => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};
const words = (n) => args.slice(0, n).join(" ");
const out = (text) => process.stdout.write(text);
const failWith = (text) => {
  process.stderr.write(`${text}\n`);
  process.exit(1);
};
const env = option("--env") ?? "top";
state.entries[env] ??= {};
const kv = state.entries[env];

switch (true) {
  case words(2) === "d1 list":
    out(JSON.stringify(state.d1.map(({ name, uuid }) => ({ uuid, name, version: "production", num_tables: 0 }))));
    break;
  case words(2) === "d1 create":
    state.d1.push({ name: args[2], uuid: randomUUID() });
    out(`✅ Successfully created DB '${args[2]}'\n`);
    break;
  case words(3) === "kv namespace list":
    out(JSON.stringify(state.kv, null, "  "));
    break;
  case words(3) === "kv namespace create":
    state.kv.push({ id: randomBytes(16).toString("hex"), title: args[3], supports_url_encoding: true });
    out(`🌀 Creating namespace with title "${args[3]}"\n✨ Success!\n`);
    break;
  case words(2) === "queues info":
    if (!state.queues.includes(args[2])) failWith(`Queue "${args[2]}" does not exist.`);
    out(`Queue Name: ${args[2]}\n`);
    break;
  case words(2) === "queues create":
    state.queues.push(args[2]);
    out(`✅ Created queue '${args[2]}'\n`);
    break;
  case words(3) === "r2 bucket info":
    if (!state.r2.includes(args[3])) failWith(`The specified bucket does not exist. [code: 10006]`);
    out(`name: ${args[3]}\n`);
    break;
  case words(3) === "r2 bucket create":
    state.r2.push(args[3]);
    out(`✅ Created bucket '${args[3]}'\n`);
    break;
  case words(3) === "d1 migrations apply":
    if (state.migrated.includes(env)) out("✅ No migrations to apply!\n");
    else {
      state.migrated.push(env);
      out("🚣 Executed 3 migrations\n");
    }
    break;
  case words(2) === "d1 execute": {
    const sql = option("--command");
    if (/^INSERT INTO organizations/i.test(sql)) state.rows.push({ env, sql });
    const id = sql.match(/WHERE id = '([^']+)'/)?.[1];
    const results = id && state.rows.some((r) => r.env === env && r.sql.includes(id)) ? [{ id }] : [];
    out(JSON.stringify([{ results, success: true, meta: {} }]));
    break;
  }
  case words(3) === "kv key list": {
    const prefix = option("--prefix") ?? "";
    const listed = Object.entries(kv)
      .filter(([name]) => name.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, { metadata }]) => (metadata === undefined ? { name } : { name, metadata }));
    out(JSON.stringify(listed, null, "  "));
    break;
  }
  case words(3) === "kv key get":
    out(args[3] in kv ? kv[args[3]].value : "Value not found\n");
    break;
  case words(3) === "kv key put": {
    const metadata = option("--metadata");
    kv[args[3]] = { value: args[4], metadata: metadata === undefined ? undefined : JSON.parse(metadata) };
    break;
  }
  case words(1) === "deploy":
    out(args.includes("--dry-run") ? "--dry-run: exiting now.\n" : `Deployed ${env}\n`);
    break;
  default:
    failWith(`fake wrangler: unexpected command: wrangler ${args.join(" ")}`);
}
save();
