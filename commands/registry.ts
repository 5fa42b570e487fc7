import { QuoteError } from "../src/core/errors.js";
import { stripUnsafe } from "../src/core/text.js";
import { helpCommand } from "./help.js";
import { quote } from "./quote.js";
import { random } from "./random.js";
import { overLimit } from "./ratelimit.js";
import { sources } from "./sources.js";
import type { CommandContext, CommandDeclaration, Reply } from "./types.js";

/** The name users type after `/karpathy`. */
export const ROOT_COMMAND = "karpathy";
export const ROOT_DESCRIPTION = "Verbatim Andrej Karpathy quotes with their sources";

/** Every subcommand, in the order help lists them. One declaration each; every platform derives from these. */
export const COMMANDS: readonly CommandDeclaration[] = [
  quote as CommandDeclaration,
  random as CommandDeclaration,
  sources as CommandDeclaration,
  helpCommand(() => COMMANDS),
];

export function findCommand(name: string): CommandDeclaration | undefined {
  return COMMANDS.find((c) => c.name === name.toLowerCase());
}

/**
 * Validates raw options with the command's schema and runs it. A user over the context's rate limit,
 * bad input and the core's coded errors become an `invalid` reply with a message for the user;
 * anything else is a bug and is rethrown for the adapter to log.
 */
export function runCommand(
  name: string,
  rawOptions: Record<string, unknown>,
  rawContext: CommandContext,
): Reply {
  const context = withSafeUser(rawContext);
  // Queries are echoed back ("Nothing found for …"): no bidi overrides or NULs in them.
  const options = Object.fromEntries(
    Object.entries(rawOptions).map(([k, v]) => [k, typeof v === "string" ? stripUnsafe(v) : v]),
  );
  const limited = overLimit(context);
  if (limited) return limited;
  const command = findCommand(name);
  if (!command) return { kind: "invalid", message: `Unknown command "${name}". Try /karpathy help.` };
  const parsed = command.schema.safeParse(options);
  if (!parsed.success)
    return { kind: "invalid", message: parsed.error.issues[0]?.message ?? "Invalid input." };
  try {
    return command.execute(parsed.data, context);
  } catch (error) {
    if (error instanceof QuoteError && error.code !== "corpus")
      return { kind: "invalid", message: error.message };
    throw error;
  }
}

/** The context with the user's display name (credited on a shared quote) stripped of unsafe characters. */
export function withSafeUser(context: CommandContext): CommandContext {
  const { user } = context;
  return user ? { ...context, user: { ...user, name: stripUnsafe(user.name) } } : context;
}
