import { execFileSync, spawnSync } from "node:child_process";

/**
 * Where the key CLI, `npm start` and `npm run setup` act: local state (what `npm start` serves), an
 * environment of wrangler.toml on the Cloudflare account (`--remote --env production`), or local
 * state kept in another folder (the benchmark's fresh one: `--persist-to`).
 */
export type Target = "local" | { env: string } | { persistTo: string };

const targetArgs = (target: Target) =>
  target === "local"
    ? ["--local"]
    : "env" in target
      ? ["--remote", "--env", target.env]
      : ["--local", "--persist-to", target.persistTo];

export const quietEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

let persistTo: string | undefined;

/** Local commands act on the state under `dir` instead of `.wrangler/state` (the load test's fresh state). */
export function usePersistDir(dir: string): void {
  persistTo = dir;
}

const fullArgs = (args: string[], target?: Target) => {
  const full = target ? [...args, ...targetArgs(target)] : args;
  if (target === "local" && persistTo) full.push("--persist-to", persistTo);
  return full;
};

/** Runs wrangler and returns its exit status and output, whatever they are. */
export function tryWrangler(args: string[], target?: Target): { status: number; stdout: string; stderr: string } {
  const run = spawnSync("wrangler", fullArgs(args, target), {
    encoding: "utf8",
    env: quietEnv,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: run.status ?? 1, stdout: run.stdout ?? "", stderr: run.stderr ?? String(run.error ?? "") };
}

/** Runs wrangler and returns its stdout; on failure its stderr is shown and the process exits. */
export function wrangler(args: string[], target?: Target): string {
  const full = fullArgs(args, target);
  try {
    return execFileSync("wrangler", full, {
      encoding: "utf8",
      env: quietEnv,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string };
    const output = e.stderr || e.stdout || String(err);
    // The remote database before its first `npm run deploy` (local state gets its migrations applied).
    if (/no such table/.test(output)) {
      const apply = ["npx", "wrangler", "d1", "migrations", "apply", "DB", ...full.slice(args.length)].join(" ");
      process.stderr.write(`The D1 database has no tables yet: run \`${apply}\` first.\n`);
    } else {
      process.stderr.write(`wrangler ${args.slice(0, 3).join(" ")} failed:\n${output}\n`);
    }
    process.exit(1);
  }
}

/**
 * Applies the migrations wrangler has not yet applied to the target's D1 (a no-op when none are
 * left), so that a fresh local state has its tables before anything reads or writes it.
 */
export function applyMigrations(target: Target): void {
  wrangler(["d1", "migrations", "apply", "DB"], target);
}

/** SQL string literal: the only values passed this way are validated ids, names and country codes. */
export const sqlString = (value: string | null) => (value === null ? "NULL" : `'${value.replace(/'/g, "''")}'`);

/** The JSON array that `wrangler d1 execute --json` prints: the rows of the one statement. */
export function d1Query<T>(sql: string, target: Target): T[] {
  const out = JSON.parse(wrangler(["d1", "execute", "DB", "--json", "--command", sql], target)) as { results: T[] }[];
  return out[0]?.results ?? [];
}
