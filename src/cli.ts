#!/usr/bin/env node
/**
 * `karpathy`: the command-line front end. Same commands as chat, with their options as flags, plus a
 * JSON contract other tools and tests rely on (README "CLI"). Commands, flags, usage and help all come
 * from the declarations in `commands/`. Bad input: one line on stderr, exit code 2.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  COMMANDS,
  type CommandDeclaration,
  findCommand,
  fullName,
  isGroup,
  isOn,
  notAnOption,
  optionsOn,
  parseInput,
  runCommand,
  usageOf,
} from "../commands/index.js";
import { renderText } from "./console/render.js";
import { QuoteEngine } from "./core/engine.js";
import { QuoteError } from "./core/errors.js";

class UsageError extends Error {}

/** Flags every command line may carry, whatever the command; the rest come from the declarations. */
const GLOBAL_FLAGS = {
  json: { type: "boolean", description: "machine-readable output, one JSON object (per line with --batch)" },
  batch: {
    type: "string",
    short: "b",
    placeholder: "FILE",
    description: 'with --json: one query per line of FILE ("-" for stdin), one JSON object per line',
  },
  help: { type: "boolean", short: "h", description: "this help" },
  version: { type: "boolean", short: "V", description: "the version" },
} as const;

/** Errors are one line; the usage is one command away. */
const SEE_HELP = '(see "karpathy help")';

const CLI_COMMANDS = () => COMMANDS.filter((c) => isOn(c, "cli"));

/** `--source` → the options (of any command) it stands for, by the declarations' flags. */
function declaredFlags(): Map<
  string,
  { short?: string; placeholder: string; description: string; keys: Set<string> }
> {
  const flags = new Map<
    string,
    { short?: string; placeholder: string; description: string; keys: Set<string> }
  >();
  for (const c of CLI_COMMANDS())
    for (const [key, o] of optionsOn(c, "cli")) {
      if (o.positional) continue;
      const flag = o.flag ?? key;
      const known = flags.get(flag) ?? {
        ...(o.short ? { short: o.short } : {}),
        placeholder: o.placeholder.replace(/^<|>$/gu, "").toUpperCase(),
        description: o.description,
        keys: new Set<string>(),
      };
      known.keys.add(key);
      flags.set(flag, known);
    }
  return flags;
}

export function helpText(): string {
  const usage = CLI_COMMANDS().flatMap((c) => {
    const line = usageOf(c, "cli");
    const name = fullName(c);
    if (!c.json) return [line];
    const lines = [line.replace(name, `${name} [--json]`)];
    // A command that reads words can read them from a file instead, one JSON answer per line.
    const positional = optionsOn(c, "cli").find(([, o]) => o.positional)?.[1];
    if (positional)
      lines.push(line.replace(name, `${name} --json`).replace(positional.placeholder, "--batch FILE"));
    return lines;
  });
  const commands = CLI_COMMANDS().map((c) => `  ${fullName(c).padEnd(10)} ${c.description}`);
  const flags = [
    ...[...declaredFlags()].map(
      ([flag, f]) => [`--${flag} ${f.placeholder}`, f.description, f.short] as const,
    ),
    ...Object.entries(GLOBAL_FLAGS).map(
      ([flag, f]) =>
        [
          `--${flag}${"placeholder" in f ? ` ${f.placeholder}` : ""}`,
          f.description,
          "short" in f ? f.short : undefined,
        ] as const,
    ),
  ].map(
    ([flag, description, short]) =>
      `  ${`${short ? `-${short}, ` : "    "}${flag}`.padEnd(20)} ${description}`,
  );
  return [
    `usage: ${usage.join("\n       ")}`,
    "",
    "Verbatim quotes by Andrej Karpathy, with their source, date and link.",
    ...commands,
    "",
    ...flags,
  ].join("\n");
}

export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  const flags = declaredFlags();
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv, flags);
  } catch (error) {
    const message = error instanceof Error ? (error.message.split(". ")[0] ?? error.message) : String(error);
    return fail(`${message} ${SEE_HELP}`);
  }
  const { values, positionals } = args;
  if (values.version) {
    out(version());
    return 0;
  }
  const [first, second] = positionals;
  if (first === undefined || first === "help" || values.help) {
    if (first === "help" && positionals.length > 1) return fail(`help takes no words ${SEE_HELP}`);
    out(helpText());
    return 0;
  }
  const name = isGroup(first) ? `${first} ${second ?? ""}`.trim() : first;
  const command = findCommand(name);
  if (!command || !isOn(command, "cli")) return fail(`unknown command "${name}" ${SEE_HELP}`);
  const words = positionals.slice(name.split(" ").length);

  // Every flag given must be one of this command's options (or a global one that applies to it).
  const options: Record<string, string> = {};
  const own = new Map(optionsOn(command, "cli").map(([key, o]) => [o.flag ?? key, key]));
  for (const [flag, value] of Object.entries(values)) {
    if (flag in GLOBAL_FLAGS || value === undefined) continue;
    const key = own.get(flag);
    if (!key) return fail(notAnOption(command, flag, "cli"));
    options[key] = String(value);
  }
  const json = Boolean(values.json);
  if (json && !command.json) return fail(`${fullName(command)} has no --json output ${SEE_HELP}`);
  const positional = optionsOn(command, "cli").find(([, o]) => o.positional)?.[0];
  if (values.batch !== undefined) {
    if (!json) return fail("--batch needs --json: a batch answers one JSON object per line");
    if (!positional) return fail(`${fullName(command)} takes no --batch (it reads no words)`);
    if (words.length) return fail(`give the queries in the --batch file or as words, not both ${SEE_HELP}`);
  } else if (words.length) {
    if (!positional)
      return fail(`${fullName(command)} takes no words, but got "${words.join(" ")}" ${SEE_HELP}`);
    options[positional] = words.join(" ");
  }

  try {
    if (values.batch !== undefined && positional) {
      const lines = readBatch(String(values.batch));
      const engine = await QuoteEngine.open();
      for (const line of lines)
        out(JSON.stringify(batchLine(engine, command, { ...options, [positional]: line }, line)));
      return 0;
    }
    if (json) {
      const parsed = parseInput(
        command,
        positional && !(positional in options) ? { ...options, [positional]: "" } : options,
        "cli",
      );
      if (!parsed.ok) return fail(parsed.message);
      const engine = await QuoteEngine.open();
      out(JSON.stringify(command.json?.(parsed.input as never, { engine, surface: "cli" })));
      return 0;
    }
    const engine = await QuoteEngine.open();
    const withQuery = positional && !(positional in options) ? { ...options, [positional]: "" } : options;
    const reply = await runCommand(fullName(command), withQuery, { engine, surface: "cli" });
    // Bad input is an error like any other: one line on stderr, exit 2.
    if (reply.kind === "invalid") return fail(reply.message);
    for (const line of renderText(reply).split("\n")) out(line);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    if (error instanceof QuoteError) return fail(error.message, error.code === "corpus" ? 1 : 2);
    throw error;
  }
}

/** One line of a batch: its JSON, or the error in that line's object; one bad line never stops the rest. */
function batchLine(
  engine: QuoteEngine,
  command: CommandDeclaration,
  options: Record<string, string>,
  query: string,
) {
  const parsed = parseInput(command, options, "cli");
  if (!parsed.ok) return { query, results: [], error: parsed.message };
  try {
    return command.json?.(parsed.input as never, { engine, surface: "cli" });
  } catch (error) {
    if (error instanceof QuoteError && error.code !== "corpus")
      return { query, results: [], error: error.message };
    throw error;
  }
}

function parse(argv: string[], flags: ReturnType<typeof declaredFlags>) {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [flag, f] of flags) options[flag] = { type: "string", ...(f.short ? { short: f.short } : {}) };
  for (const [flag, f] of Object.entries(GLOBAL_FLAGS))
    options[flag] = { type: f.type, ...("short" in f ? { short: f.short } : {}) };
  return parseArgs({ args: argv, allowPositionals: true, strict: true, options });
}

/** The version in the package.json next to this program (src/ in development, dist/src/ when built). */
function version(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file))
      return `karpathy ${(JSON.parse(readFileSync(file, "utf8")) as { version: string }).version}`;
  }
  return "karpathy (unknown version)";
}

function readBatch(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch {
    throw new UsageError(`cannot read batch file "${path}"`);
  }
  return text.split(/\r?\n/u).filter((l) => l.trim());
}

function fail(message: string, code = 2): number {
  process.stderr.write(`karpathy: ${message}\n`);
  return code;
}

/** Run as a program (directly, or through a bin link such as npx's or npm link's), not imported. */
function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? "") === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await main(process.argv.slice(2));
