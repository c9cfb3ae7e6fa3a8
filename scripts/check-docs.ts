/**
 * Keeps the commands and links of README.md and docs/*.md working (part of `npm run lint`):
 *
 * - every `npm run <script>` in a shell block or an inline code span names a script of
 *   package.json (and `npm start` / `npm test` exist);
 * - every path under scripts/, src/, docs/ or examples/ that they mention exists;
 * - every relative link resolves: the file, and the heading its #anchor names (GitHub's slugs);
 * - a shell block right after a `<!-- check: run -->` line is run with bash and must exit 0:
 *   mark only commands that are quick and need no network, server or account;
 * - README.md stays under 15 KB, shows `npm install`, `npm start` and `npm test`, and its
 *   quick-start curl posts the body that scripts/smoke.sh posts.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const README_MAX_BYTES = 15_000;
const RUN_MARKER = "<!-- check: run -->";
const SHELL = new Set(["sh", "bash", "shell"]);

const files = [
  "README.md",
  ...readdirSync("docs")
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const scripts: Record<string, string> = JSON.parse(readFileSync("package.json", "utf8")).scripts;
const problems: string[] = [];
const problem = (file: string, line: number, message: string) => problems.push(`${file}:${line}: ${message}`);

interface Block {
  lang: string;
  line: number;
  text: string;
  run: boolean;
}

/** A Markdown file split into fenced blocks, and the lines outside them (with their numbers). */
function parse(file: string) {
  const blocks: Block[] = [];
  const prose: { line: number; text: string }[] = [];
  let open: Block | undefined;
  let previous = "";
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((text, i) => {
      const fence = text.match(/^\s*```(\S*)/);
      if (open && fence) {
        blocks.push(open);
        open = undefined;
      } else if (open) open.text += `${text}\n`;
      else if (fence) open = { lang: fence[1] ?? "", line: i + 1, text: "", run: previous.trim() === RUN_MARKER };
      else prose.push({ line: i + 1, text });
      if (text.trim() !== "") previous = text;
    });
  return { blocks, prose };
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text } of parse(file).prose) {
    const heading = text.match(/^#{1,6}\s+(.+?)\s*#*$/)?.[1];
    if (!heading) continue;
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** The commands of a shell block: continuation lines joined, comment lines dropped. */
const commandsOf = (block: Block) =>
  block.text
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));

/** `npm run <script>` and the repository paths that a command or code span names. */
function checkMentions(file: string, line: number, text: string) {
  for (const [, script] of text.matchAll(/\bnpm run(?:\s+--?[\w-]+)*\s+([\w:-]+)/g)) {
    if (!(script && script in scripts)) problem(file, line, `npm run ${script}: no such script in package.json`);
  }
  for (const [, script] of text.matchAll(/\bnpm (start|test)\b/g)) {
    if (!(script && script in scripts)) problem(file, line, `npm ${script}: no such script in package.json`);
  }
  for (const [mentioned] of text.matchAll(/(?<![\w./-])(?:scripts|src|docs|examples)\/[\w./-]*[\w/]/g)) {
    if (!existsSync(mentioned)) problem(file, line, `${mentioned}: no such file`);
  }
}

function checkLinks(file: string, line: number, text: string) {
  for (const [, target = ""] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target)) continue;
    const [where = "", anchor] = target.split("#");
    const linked = where === "" ? file : path.join(path.dirname(file), where);
    if (!existsSync(linked)) problem(file, line, `link ${target}: no such file`);
    else if (anchor !== undefined && linked.endsWith(".md") && !anchorsOf(linked).has(anchor)) {
      problem(file, line, `link ${target}: no heading with that anchor in ${linked}`);
    }
  }
}

let commands = 0;
let ran = 0;
for (const file of files) {
  const { blocks, prose } = parse(file);
  for (const { line, text } of prose) {
    checkLinks(file, line, text);
    for (const [, span = ""] of text.matchAll(/`([^`]+)`/g)) checkMentions(file, line, span);
  }
  for (const block of blocks.filter((b) => SHELL.has(b.lang))) {
    for (const command of commandsOf(block)) {
      commands++;
      checkMentions(file, block.line, command);
    }
    if (!block.run) continue;
    ran++;
    try {
      execFileSync("bash", ["-euo", "pipefail", "-c", block.text], { stdio: "pipe", timeout: 60_000 });
    } catch (err) {
      const { stderr, status } = err as { stderr?: Buffer; status?: number };
      problem(file, block.line, `marked block failed (exit ${status}): ${String(stderr ?? "").trim()}`);
    }
  }
}

// README.md: short, the commands CI and newcomers rely on, and the quick start that smoke.sh runs.
const readme = readFileSync("README.md", "utf8");
const size = Buffer.byteLength(readme);
if (size > README_MAX_BYTES) problem("README.md", 1, `${size} bytes: keep it under ${README_MAX_BYTES}`);
const readmeCommands = parse("README.md")
  .blocks.filter((b) => SHELL.has(b.lang))
  .flatMap(commandsOf)
  .map((c) => c.trim());
for (const needed of ["npm install", "npm start", "npm test"]) {
  if (!readmeCommands.some((c) => c.startsWith(needed))) problem("README.md", 1, `no shell block shows ${needed}`);
}
const quickStart = readme.match(/curl -i http:\/\/localhost:8787\/api\/contact [^']*-d '([^']*)'/)?.[1];
const smoked = readFileSync("scripts/smoke.sh", "utf8").match(/^body='([^']*)'/m)?.[1];
const sameJson = (a?: string, b?: string) => {
  try {
    return JSON.stringify(JSON.parse(a ?? "")) === JSON.stringify(JSON.parse(b ?? ""));
  } catch {
    return false;
  }
};
if (!sameJson(quickStart, smoked)) {
  problem("README.md", 1, "the quick-start curl body is not the JSON that scripts/smoke.sh posts");
}

if (problems.length > 0) {
  process.stderr.write(`${problems.join("\n")}\n`);
  process.exit(1);
}
process.stdout.write(
  `docs: ${files.length} files, ${commands} shell commands checked, ${ran} marked block(s) run; README.md ${size} bytes\n`,
);
