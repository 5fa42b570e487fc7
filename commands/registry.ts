import { readdirSync } from "node:fs";
import { QuoteError } from "../src/core/errors.js";
import { stripUnsafe } from "../src/core/text.js";
import { helpCommand } from "./help.js";
import { MESSAGES, PERMISSION_NAMES } from "./messages.js";
import { overLimit } from "./ratelimit.js";
import { ROOT_COMMAND_NAME } from "./root.js";
import {
  type CommandContext,
  type CommandDeclaration,
  fullName,
  isOn,
  optionsOn,
  type Reply,
  type Surface,
} from "./types.js";

/** The name users type after `/karpathy`. */
export const ROOT_COMMAND = ROOT_COMMAND_NAME;
export const ROOT_DESCRIPTION = "Verbatim Andrej Karpathy quotes with their sources";

/**
 * Every file in `commands/subcommands/` declares one subcommand (`export default declare({…})`), as
 * the discord.js template keeps one file per command: adding a command is adding a file, and every
 * surface (Discord's registration, Slack's parsing and manifest, the console, the CLI, help, the
 * README's table) picks it up from this list.
 */
async function discover(): Promise<CommandDeclaration[]> {
  const dir = new URL("./subcommands/", import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/u.test(f) && !/\.(d|test)\.ts$/u.test(f))
    .sort();
  const found: CommandDeclaration[] = [];
  for (const file of files) {
    const mod = (await import(new URL(file, dir).href)) as { default?: CommandDeclaration };
    if (!mod.default) throw new Error(`commands: ${file} has no default export (a declare({…}))`);
    found.push(mod.default);
  }
  return found;
}

const byOrder = (a: CommandDeclaration, b: CommandDeclaration) =>
  (a.order ?? 50) - (b.order ?? 50) || fullName(a).localeCompare(fullName(b));

/** Every subcommand, in the order help lists them; `help` last. */
export const COMMANDS: readonly CommandDeclaration[] = [
  ...(await discover()).sort(byOrder),
  helpCommand(() => COMMANDS),
];

{
  const names = new Set<string>();
  for (const c of COMMANDS) {
    const name = fullName(c);
    if (names.has(name)) throw new Error(`commands: "${name}" is declared twice`);
    names.add(name);
    if (isOn(c, "cli") && optionsOn(c, "cli").filter(([, o]) => o.positional).length > 1)
      throw new Error(`commands: "${name}" has more than one positional option on the CLI`);
  }
}

/** A command by its full name (`quote`, `daily on`), in any case. */
export function findCommand(name: string): CommandDeclaration | undefined {
  const wanted = name.trim().toLowerCase().replace(/\s+/gu, " ");
  return COMMANDS.find((c) => fullName(c) === wanted);
}

/** The groups' names (`daily`): a word that starts a grouped command. */
export function isGroup(word: string): boolean {
  const w = word.toLowerCase();
  return COMMANDS.some((c) => c.group?.name === w);
}

/**
 * Validates raw options with the command's declaration and runs it. Options the command does not
 * declare (on this surface) are an error, never ignored. A user over the context's rate limit, bad
 * input, a missing permission and the core's coded errors become an `invalid` reply with a message for
 * the user; anything else is a bug and is rethrown for the adapter to log.
 */
export async function runCommand(
  name: string,
  rawOptions: Record<string, unknown>,
  rawContext: CommandContext,
): Promise<Reply> {
  const context = withSafeUser(rawContext);
  const surface = context.surface ?? "console";
  const limited = await overLimit(context);
  if (limited) return limited;
  const command = findCommand(name);
  if (!command || !isOn(command, surface))
    return { kind: "invalid", message: MESSAGES.unknownCommand(name, `${helpName(surface)}`) };
  const parsed = parseInput(command, rawOptions, surface);
  if (!parsed.ok) return { kind: "invalid", message: parsed.message };
  const input = parsed.input;
  const refused = refusal(command, context);
  if (refused) return refused;
  try {
    return await command.execute(input, context);
  } catch (error) {
    if (error instanceof QuoteError && error.code !== "corpus")
      return { kind: "invalid", message: error.message };
    throw error;
  }
}

/**
 * The command's input from raw options as a surface delivers them (strings from text, numbers from
 * Discord), validated by each option's declaration; an undeclared option is an error.
 */
export function parseInput(
  command: CommandDeclaration,
  rawOptions: Record<string, unknown>,
  surface: Surface,
): { ok: true; input: Record<string, unknown> } | { ok: false; message: string } {
  const declared = new Map(optionsOn(command, surface));
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rawOptions)) {
    if (!declared.has(key)) return { ok: false, message: notAnOption(command, key, surface) };
    // Text is echoed back ("Nothing found for …"): no bidi overrides or NULs in it.
    input[key] = typeof value === "string" ? stripUnsafe(value) : value;
  }
  for (const [key, option] of declared) {
    const parsed = option.schema.safeParse(input[key]);
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? "is not valid";
      // Lower-case messages ("must be at least 1") are about the option: name it as the surface does.
      return { ok: false, message: /^[a-z]/u.test(message) ? `${label(key, surface)} ${message}` : message };
    }
    input[key] = parsed.data;
  }
  return { ok: true, input };
}

/** The reply when the platform says the user lacks a permission the command needs; undefined when allowed. */
export function refusal(command: CommandDeclaration, context: CommandContext): Reply | undefined {
  const { permissions } = context;
  const missing = permissions && (command.permissions ?? []).find((p) => !permissions.has(p));
  return missing ? { kind: "invalid", message: MESSAGES.notAllowed(PERMISSION_NAMES[missing]) } : undefined;
}

/** How a surface spells an option: `--limit` on the command line, `limit` in chat. */
export function label(key: string, surface: string): string {
  return surface === "cli" ? `--${key}` : key;
}

function helpName(surface: string): string {
  return surface === "cli" ? '"karpathy help"' : `/${ROOT_COMMAND} help`;
}

/** `random takes no option "year" (it takes source:<id>)`. */
export function notAnOption(command: CommandDeclaration, key: string, surface: CommandContext["surface"]) {
  const known = optionsOn(command, surface ?? "console").map(([k, o]) =>
    o.positional
      ? o.placeholder
      : surface === "cli"
        ? `--${o.flag ?? k} ${o.placeholder}`
        : `${k}:${o.placeholder}`,
  );
  const what = surface === "cli" ? `--${key}` : `option "${key}"`;
  return `${fullName(command)} takes no ${what} (${known.length ? `it takes ${known.join(", ")}` : "it takes no options"}).`;
}

/** The context with the user's display name (credited on a shared quote) stripped of unsafe characters. */
export function withSafeUser(context: CommandContext): CommandContext {
  const { user } = context;
  return user ? { ...context, user: { ...user, name: stripUnsafe(user.name) } } : context;
}
