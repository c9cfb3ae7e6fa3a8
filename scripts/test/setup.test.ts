// `npm run setup` and `npm run deploy` against a stubbed wrangler (./fake-wrangler.mjs on PATH): the
// real calls need a Cloudflare account, so these tests check the command lines the scripts run, the
// wrangler.toml they leave, and that a second run changes nothing. Run by `npm run test:scripts`.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { setBindingValue } from "../lib/config";

const ROOT = join(import.meta.dirname, "../..");
const FAKE = join(import.meta.dirname, "fake-wrangler.mjs");
const TSX = import.meta.resolve("tsx");
const ZERO_D1 = "00000000-0000-0000-0000-000000000000";
const ZERO_KV = "00000000000000000000000000000000";
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A folder with a copy of wrangler.toml (changed by `edit`), a fake `wrangler` first on PATH, and an empty account. */
function sandbox(edit: (toml: string) => string = (t) => t) {
  const dir = mkdtempSync(join(tmpdir(), "contacts-edge-setup-"));
  dirs.push(dir);
  writeFileSync(join(dir, "wrangler.toml"), edit(readFileSync(join(ROOT, "wrangler.toml"), "utf8")));
  copyFileSync(FAKE, join(dir, "fake-wrangler.mjs"));
  chmodSync(join(dir, "fake-wrangler.mjs"), 0o755);
  symlinkSync(join(dir, "fake-wrangler.mjs"), join(dir, "wrangler"));
  const log = join(dir, "wrangler.log");
  writeFileSync(log, "");
  const run = (script: "setup" | "deploy", ...args: string[]) => {
    writeFileSync(log, "");
    const result = spawnSync(process.execPath, ["--import", TSX, join(ROOT, "scripts", `${script}.ts`), ...args], {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        PATH: `${dir}:${process.env.PATH}`,
        FAKE_WRANGLER_LOG: log,
        FAKE_WRANGLER_STATE: join(dir, "account.json"),
      },
    });
    const commands = readFileSync(log, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as string[]).join(" "));
    return { ...result, commands };
  };
  const toml = () => readFileSync(join(dir, "wrangler.toml"), "utf8");
  const writeToml = (text: string) => writeFileSync(join(dir, "wrangler.toml"), text);
  const account = () => JSON.parse(readFileSync(join(dir, "account.json"), "utf8"));
  return { run, toml, writeToml, account };
}

const PROD = "--remote --env production";

describe("npm run setup", () => {
  it("creates the database and the namespace, writes their ids into [env.production] only, migrates, prints an admin key", () => {
    const box = sandbox();
    const before = box.toml();
    const first = box.run("setup", "--env", "production", "--org-name", "Acme", "--default-country", "ma");
    assert.equal(first.status, 0, first.stderr);
    const { d1, kv } = box.account();
    assert.deepEqual(
      first.commands.filter((c) => !c.startsWith("kv key") && !c.startsWith("d1 execute")),
      [
        "d1 list --json",
        "d1 create contacts-edge-production",
        "d1 list --json",
        "kv namespace list",
        "kv namespace create contacts-edge-production-API_KEYS",
        "kv namespace list",
        "queues info contacts-edge-production-events",
        "queues create contacts-edge-production-events",
        "queues info contacts-edge-production-imports",
        "queues create contacts-edge-production-imports",
        "queues info contacts-edge-production-events-dlq",
        "queues create contacts-edge-production-events-dlq",
        "r2 bucket info contacts-edge-production-imports",
        "r2 bucket create contacts-edge-production-imports",
        `d1 migrations apply DB ${PROD}`,
      ],
    );
    assert.deepEqual(
      first.commands.filter((c) => c.startsWith("d1 execute")).map((c) => c.replace(/'[^']*'/g, "'…'")),
      [
        `d1 execute DB --json --command INSERT INTO organizations (id, name, default_country, created_at) VALUES ('…', '…', '…', '…') ${PROD}`,
      ],
    );
    // The key: listed (none yet, so it is the first), then its index entry and its record, on production's namespace.
    const kvCommands = first.commands
      .filter((c) => c.startsWith("kv key"))
      .map((c) => c.split(" ").slice(0, 3).join(" "));
    assert.deepEqual(kvCommands, ["kv key list", "kv key list", "kv key put", "kv key put"]);
    assert.ok(
      first.commands.filter((c) => c.startsWith("kv key")).every((c) => c.endsWith(`--binding API_KEYS ${PROD}`)),
    );

    // Exactly two lines of wrangler.toml changed: production's two ids; comments and staging untouched.
    const changed = before
      .split("\n")
      .flatMap((line, i) => (line === box.toml().split("\n")[i] ? [] : [[line, box.toml().split("\n")[i]]]));
    assert.deepEqual(changed, [
      [`database_id = "${ZERO_D1}"`, `database_id = "${d1[0].uuid}"`],
      [`id = "${ZERO_KV}"`, `id = "${kv[0].id}"`],
    ]);
    assert.equal(box.toml().split(ZERO_D1).length - 1, 2, "the top level and staging keep their placeholders");
    assert.match(
      box.toml(),
      /\[\[env\.production\.d1_databases\]\]\nbinding = "DB"\ndatabase_name = "contacts-edge-production"\ndatabase_id = "[0-9a-f-]{36}"/,
    );

    assert.match(first.stdout, /^API key {6}cek_[A-Za-z0-9_-]{32}$/m);
    assert.match(first.stdout, /Next: npm run deploy -- --env production/);
  });

  it("run twice, changes nothing: no create, no write to wrangler.toml, no new key", () => {
    const box = sandbox();
    assert.equal(box.run("setup", "--env", "production").status, 0);
    const toml = box.toml();
    const account = box.account();
    const second = box.run("setup", "--env", "production");
    assert.equal(second.status, 0, second.stderr);
    assert.equal(box.toml(), toml);
    assert.deepEqual(box.account().d1, account.d1);
    assert.deepEqual(box.account().kv, account.kv);
    assert.deepEqual(box.account().entries, account.entries);
    assert.deepEqual(second.commands, [
      "queues info contacts-edge-production-events",
      "queues info contacts-edge-production-imports",
      "queues info contacts-edge-production-events-dlq",
      "r2 bucket info contacts-edge-production-imports",
      `d1 migrations apply DB ${PROD}`,
      `kv key list --prefix apikey: --binding API_KEYS ${PROD}`,
      `kv key list --prefix org: --binding API_KEYS ${PROD}`,
    ]);
    assert.doesNotMatch(second.stdout, /cek_/);
    assert.match(second.stdout, /production has 1 already, so no new one/);
  });

  it("finds resources that exist under the same name instead of creating them (a first run cut short)", () => {
    const box = sandbox();
    box.run("setup", "--env", "production");
    const { d1, kv } = box.account();
    // As if wrangler.toml had not been saved: the account has the resources, the file has placeholders.
    box.writeToml(box.toml().replace(d1[0].uuid, ZERO_D1).replace(kv[0].id, ZERO_KV));
    const again = box.run("setup", "--env", "production");
    assert.equal(again.status, 0, again.stderr);
    assert.ok(!again.commands.some((c) => c.includes(" create ")));
    assert.deepEqual(box.account().d1, d1);
    assert.match(box.toml(), new RegExp(`database_id = "${d1[0].uuid}"`));
    assert.match(box.toml(), new RegExp(`id = "${kv[0].id}"`));
  });

  it("creates the queues (events, its DLQ, imports) and the R2 bucket that the environment names, once", () => {
    const box = sandbox();
    const first = box.run("setup", "--env", "production");
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(
      first.commands.filter((c) => /^(queues|r2) /.test(c)),
      [
        "queues info contacts-edge-production-events",
        "queues create contacts-edge-production-events",
        "queues info contacts-edge-production-imports",
        "queues create contacts-edge-production-imports",
        "queues info contacts-edge-production-events-dlq",
        "queues create contacts-edge-production-events-dlq",
        "r2 bucket info contacts-edge-production-imports",
        "r2 bucket create contacts-edge-production-imports",
      ],
    );
    const second = box.run("setup", "--env", "production");
    assert.deepEqual(
      second.commands.filter((c) => /^(queues|r2) /.test(c)),
      [
        "queues info contacts-edge-production-events",
        "queues info contacts-edge-production-imports",
        "queues info contacts-edge-production-events-dlq",
        "r2 bucket info contacts-edge-production-imports",
      ],
    );
  });

  it("refuses without --env, or with an environment wrangler.toml does not define, before any wrangler command", () => {
    const box = sandbox();
    for (const args of [[], ["--env", "prod"]]) {
      const res = box.run("setup", ...args);
      assert.equal(res.status, 2);
      assert.deepEqual(res.commands, []);
    }
  });
});

describe("npm run deploy", () => {
  it("refuses while an id of the environment is a placeholder, with one line saying what to run", () => {
    const box = sandbox();
    const res = box.run("deploy", "--env", "production");
    assert.equal(res.status, 1);
    assert.deepEqual(res.commands, []);
    assert.equal(
      res.stderr,
      "deploy: wrangler.toml has placeholder ids for DB, API_KEYS in [env.production]: run `npm run setup -- --env production` first\n",
    );
  });

  it("refuses without --env: the top level is local development only", () => {
    const res = sandbox().run("deploy");
    assert.equal(res.status, 1);
    assert.match(res.stderr, /--env production/);
    assert.deepEqual(res.commands, []);
  });

  it("after setup: migrations first, then wrangler deploy --env …; a dry run only builds, placeholders or not", () => {
    const box = sandbox();
    assert.deepEqual(box.run("deploy", "--env", "staging", "--dry-run").commands, ["deploy --env staging --dry-run"]);
    box.run("setup", "--env", "production");
    const res = box.run("deploy", "--env", "production");
    assert.equal(res.status, 0, res.stderr);
    assert.deepEqual(res.commands, [`d1 migrations apply DB ${PROD}`, "deploy --env production"]);
  });
});

describe("setBindingValue", () => {
  const toml = `# top
[[env.production.d1_databases]]  # the database
binding = "DB"
database_id = "${ZERO_D1}" # set by setup

[[env.staging.d1_databases]]
binding = "DB"
database_id = "${ZERO_D1}"
`;

  it("changes one value in the right table and keeps its comment", () => {
    const edited = setBindingValue(toml, "staging", "d1_databases", "DB", "database_id", "abc");
    assert.equal(edited, toml.replace(/database_id = "0[^"]*"\n$/, 'database_id = "abc"\n'));
    const prod = setBindingValue(toml, "production", "d1_databases", "DB", "database_id", "def");
    assert.match(prod, /database_id = "def" # set by setup/);
  });

  it("adds the key after the binding when the table has none, and refuses a binding it cannot find", () => {
    const noId = '[[env.production.kv_namespaces]]\nbinding = "API_KEYS"\n';
    assert.equal(
      setBindingValue(noId, "production", "kv_namespaces", "API_KEYS", "id", "x"),
      '[[env.production.kv_namespaces]]\nbinding = "API_KEYS"\nid = "x"\n',
    );
    assert.throws(
      () =>
        setBindingValue(
          '[env.production]\nkv_namespaces = [{ binding = "API_KEYS" }]\n',
          "production",
          "kv_namespaces",
          "API_KEYS",
          "id",
          "x",
        ),
      /no \[\[env\.production\.kv_namespaces\]\] table/,
    );
  });
});
