#!/usr/bin/env node
/**
 * `karpathy`: the command-line front end. Same commands as chat, plus a JSON contract other tools and
 * tests rely on (README "CLI"). Bad input: one line on stderr, exit code 2.
 */
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { renderText } from "./console/render.js";
import { LIMIT_MAX, QuoteEngine, type QuoteResult } from "./core/engine.js";
import { QuoteError } from "./core/errors.js";
import { toJsonResult } from "./json.js";

class UsageError extends Error {}

const USAGE = `usage: karpathy quote [--json] [--limit N] [--source ID] "<query>"
       karpathy quote --json [--limit N] [--source ID] --batch FILE
       karpathy random [--source ID] [--json]
       karpathy sources [--json]
       karpathy help`;

const HELP = `${USAGE}

Verbatim quotes by Andrej Karpathy, with their source, date and link.
  quote      best matching quotes (top 3; with --json, 5)
  random     a random quote
  sources    the transcripts quoted
  --json     machine-readable output, one JSON object (per line with --batch)
  --limit N  how many results, 1 to 25
  --source   only quotes from this source (see "karpathy sources")
  --batch F  one query per line of file F ("-" for stdin), one JSON object per line`;

/** Errors are one line; the usage is one command away. */
const SEE_HELP = '(see "karpathy help")';

/**
 * `--limit`, checked with zod when given. zod (and commands/, which declares its options with zod) is
 * imported only when needed: loading it costs a cold `karpathy quote` about as much as the search.
 */
async function parseLimit(raw: string | undefined, fallback: number) {
  if (raw === undefined) return { success: true as const, data: fallback };
  const { z } = await import("zod");
  return z.coerce
    .number({ error: "--limit must be a number" })
    .int({ error: "--limit must be a whole number" })
    .min(1, { error: "--limit must be at least 1" })
    .max(LIMIT_MAX, { error: `--limit must be at most ${LIMIT_MAX}` })
    .safeParse(raw);
}

export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    const message = error instanceof Error ? (error.message.split(". ")[0] ?? error.message) : String(error);
    return fail(`${message} ${SEE_HELP}`);
  }
  const [command = "help", ...words] = args.positionals;
  if (command === "help" || args.values.help) {
    out(HELP);
    return 0;
  }
  // `quote` is the hot path and needs only the engine; the others go through commands/.
  const commands = command === "quote" ? undefined : await import("../commands/index.js");
  if (commands && !commands.findCommand(command)) return fail(`unknown command "${command}" ${SEE_HELP}`);
  const json = Boolean(args.values.json);
  const limitParse = await parseLimit(args.values.limit, json ? 5 : 3);
  if (!limitParse.success) return fail(limitParse.error.issues[0]?.message ?? "bad --limit");
  const limit = limitParse.data;
  const source = args.values.source;

  try {
    const engine = await QuoteEngine.open();
    if (!commands) {
      if (args.values.batch !== undefined) {
        const lines = readBatch(args.values.batch);
        for (const query of lines) out(JSON.stringify(searchJson(engine, query, limit, source, true)));
        return 0;
      }
      const query = words.join(" ");
      if (json) {
        out(JSON.stringify(searchJson(engine, query, limit, source, false)));
        return 0;
      }
      const results = engine.search(query, { limit, source });
      if (!results.length) {
        out(renderText({ kind: "empty", query, suggestions: [] }));
        return 0;
      }
      const readAs = engine.readAs(query);
      if (readAs) out(`Showing results for "${readAs}".\n`);
      out(results.map((r, i) => `${i + 1}. ${renderText({ kind: "shared", result: r })}`).join("\n\n"));
      return 0;
    }
    if (command === "random" && json) {
      out(JSON.stringify({ results: [toJsonResult(engine.random({ source }))] }));
      return 0;
    }
    if (command === "sources" && json) {
      out(JSON.stringify({ sources: engine.sources() }));
      return 0;
    }
    const reply = commands.runCommand(command, source === undefined ? {} : { source }, { engine });
    // Bad input is an error like any other: one line on stderr, exit 2.
    if (reply.kind === "invalid") return fail(reply.message);
    out(renderText(reply));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    if (error instanceof QuoteError) return fail(error.message, error.code === "corpus" ? 1 : 2);
    throw error;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: "boolean" },
      limit: { type: "string", short: "n" },
      source: { type: "string", short: "s" },
      batch: { type: "string", short: "b" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function searchJson(
  engine: QuoteEngine,
  query: string,
  limit: number,
  source: string | undefined,
  tolerant: boolean,
) {
  try {
    const results: QuoteResult[] = engine.search(query, { limit, source });
    const readAs = results.length ? engine.readAs(query) : undefined;
    return { query, ...(readAs ? { readAs } : {}), results: results.map(toJsonResult) };
  } catch (error) {
    // In a batch one bad line must not stop the rest: report it in that line's object.
    if (tolerant && error instanceof QuoteError && error.code !== "corpus")
      return { query, results: [], error: error.message };
    throw error;
  }
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
