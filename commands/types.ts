import type { z } from "zod";
import type { ContextLine, QuoteEngine, QuoteResult, SourceInfo } from "../src/core/engine.js";
import type { RateLimiter } from "./ratelimit.js";

/** Who ran a command, where: adapters fill this in; commands use it only for wording ("shared by"). */
export interface CommandContext {
  engine: QuoteEngine;
  user?: { id: string; name: string } | undefined;
  /**
   * Limits how often each user may run commands and press buttons (chat adapters). Without one, or
   * without a `user`, nothing is limited (the console and the CLI).
   */
  limiter?: RateLimiter | undefined;
}

/**
 * A platform-neutral reply. Adapters render it (Discord embeds, Slack Block Kit, terminal text); no
 * command knows which.
 */
export type Reply =
  /** A quote preview the invoker can Send, page through (Next), open (Context) or Cancel. */
  | {
      kind: "quote";
      query?: string | undefined;
      /** The query as the engine read it, when it corrected a word: "Showing results for …". */
      readAs?: string | undefined;
      result: QuoteResult;
      position: number;
      total: number;
      state: string;
    }
  /** A quote posted for everyone, crediting who shared it. */
  | { kind: "shared"; result: QuoteResult; sharedBy?: string | undefined }
  | { kind: "context"; result: QuoteResult; lines: ContextLine[] }
  | { kind: "sources"; sources: SourceInfo[] }
  | { kind: "help"; title: string; commands: Array<{ usage: string; description: string }>; tips: string[] }
  /** Nothing relevant: say so and suggest what to try; `source` when the search was limited to one source. */
  | { kind: "empty"; query: string; suggestions: string[]; source?: string }
  /** The user's input was wrong; the message says how to fix it. */
  | { kind: "invalid"; message: string }
  /** Close the preview. */
  | { kind: "dismiss" };

/** One option of a command, described once for every platform. */
export interface OptionDeclaration {
  name: string;
  description: string;
  required: boolean;
  maxLength?: number;
  /** Discord autocompletes it from the corpus while the user types. */
  autocomplete?: boolean;
  /** The option picks one of the corpus's sources. */
  sourceChoice?: boolean;
}

/** One subcommand of `/karpathy`: the single declaration the CLI, console, Discord and Slack derive from. */
export interface CommandDeclaration<Schema extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  options: OptionDeclaration[];
  /** Validates the options as they arrive from any platform. */
  schema: Schema;
  execute(input: z.output<Schema>, context: CommandContext): Reply;
}

export function declare<Schema extends z.ZodType>(c: CommandDeclaration<Schema>): CommandDeclaration<Schema> {
  return c;
}
