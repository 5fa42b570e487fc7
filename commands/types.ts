// The v3 API of zod, as commands/options.ts builds its schemas with (a lighter cold start).
import type { z } from "zod/v3";
import type { ContextLine, QuoteEngine, QuoteResult, SourceInfo } from "../src/core/engine.js";
import type {
  Channel as DailyPlace,
  SubscriptionSettings as DailySettings,
} from "../src/store/subscriptions.js";
import type { ClaimStore } from "./claims.js";
import type { RateLimiter } from "./ratelimit.js";

/** Where a command or an option can be used. Every surface derives its form from the declarations. */
export const SURFACES = ["discord", "slack", "console", "cli"] as const;
export type Surface = (typeof SURFACES)[number];

/**
 * What a user must be allowed to do where they run a command. Each chat adapter maps it to its
 * platform (Discord: the member's permission bits); the console and the CLI run as the machine's
 * owner and are never restricted.
 */
export const PERMISSIONS = ["manageChannel"] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * A chat channel a quote of the day can be set up in (platform, workspace: guild or team, channel),
 * and what `daily on` sets for it: the store's own types, so a new field is added once.
 */
export type { DailyPlace, DailySettings };

/** A channel's quote of the day, as `daily status` shows it. */
export interface DailyStatus extends DailySettings {
  /** Why it stopped posting; undefined while it posts. */
  pausedReason?: string | undefined;
  lastPost?: { day: string; quote: QuoteResult | undefined; postedAt: Date } | undefined;
  /** When the next post is due; undefined while paused. */
  nextPost?: Date | undefined;
}

/** The quotes of the day, behind the store (src/daily/service.ts): what the `daily` commands call. */
export interface DailyService {
  on(place: DailyPlace, settings: DailySettings): Promise<DailyStatus>;
  /** False when it was not on. */
  off(place: DailyPlace): Promise<boolean>;
  status(place: DailyPlace): Promise<DailyStatus | undefined>;
}

/** Who ran a command, where: adapters fill this in; commands use it only for wording ("shared by"). */
export interface CommandContext {
  engine: QuoteEngine;
  user?: { id: string; name: string } | undefined;
  /**
   * Limits how often each user may run commands and press buttons (chat adapters). Without one, or
   * without a `user`, nothing is limited (the console and the CLI).
   */
  limiter?: RateLimiter | undefined;
  /** Which front end asked. Default "console". */
  surface?: Surface | undefined;
  /**
   * What the platform vouches the user may do here. Undefined: the platform does not restrict (the
   * console, the CLI, a DM with the bot); a command's `permissions` are then not checked.
   */
  permissions?: ReadonlySet<Permission> | undefined;
  /** Where Send records that a preview was posted, so it posts once. Default: one in-memory store. */
  claims?: ClaimStore | undefined;
  /** The channel the command was run in, when a quote of the day can be posted there. */
  place?: DailyPlace | undefined;
  /** Where `daily on/off/status` keep subscriptions (chat adapters with a store). */
  daily?: DailyService | undefined;
  /** The clock, in ms since the epoch (preview lifetimes). Default `Date.now`; tests move it. */
  now?: (() => number) | undefined;
}

/** A button on a preview: what it is called and what its press does, decided in `commands/actions.ts`. */
export interface ButtonDocument {
  action: string;
  label: string;
  /** The state the press carries back (Discord's custom_id, Slack's value). */
  state: string;
  primary?: boolean;
  disabled?: boolean;
}

/**
 * A platform-neutral reply. Adapters render it (Discord embeds, Slack Block Kit, terminal text); no
 * command knows which. `document` is the generic shape: a new command that returns one needs no
 * adapter change.
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
  | {
      kind: "shared";
      result: QuoteResult;
      sharedBy?: string | undefined;
      /** Call when posting failed: the preview may be sent again. */
      release?: (() => Promise<void>) | undefined;
    }
  /**
   * A channel's quote of the day, posted by the bot for everyone, with a Context button anyone may
   * press (`state` is what it carries).
   */
  | { kind: "daily"; result: QuoteResult; state: string }
  /** Several quotes at once, best first (the CLI's answer to `quote`). */
  | { kind: "list"; results: QuoteResult[]; readAs?: string | undefined }
  | { kind: "context"; result: QuoteResult; lines: ContextLine[] }
  | { kind: "sources"; sources: SourceInfo[] }
  | { kind: "help"; title: string; commands: Array<{ usage: string; description: string }>; tips: string[] }
  /** A titled block of plain lines and name/value fields: any command's answer, rendered everywhere. */
  | {
      kind: "document";
      title: string;
      lines?: string[] | undefined;
      fields?: Array<{ name: string; value: string }> | undefined;
    }
  /** Nothing relevant: say so and suggest what to try; `source` when the search was limited to one source. */
  | { kind: "empty"; query: string; suggestions: string[]; source?: string }
  /** The user's input was wrong, or a press cannot be done; the message says what to do next. */
  | { kind: "invalid"; message: string }
  /** Close the preview. */
  | { kind: "dismiss" };

/** The kinds of option value; each has one parser (commands/options.ts) that every surface uses. */
export type OptionKind = "query" | "words" | "source" | "integer" | "time" | "timeZone";

/**
 * One option of a command, described once for every platform: Discord's option JSON, Slack's and the
 * console's `name:value` text, the CLI's `--flag`, usage lines and help all come from here.
 */
export interface OptionDeclaration<Schema extends z.ZodType = z.ZodType> {
  kind: OptionKind;
  description: string;
  required: boolean;
  /** How usage lines show the value: `<query>`, `<HH:MM>`. */
  placeholder: string;
  /** Parses and validates the raw value from any surface (strings from text, numbers from Discord). */
  schema: Schema;
  /**
   * Words typed after the command fill this option (`quote decade of agents`). Several positional
   * options (not on the CLI) take one word each, in order, the last one the rest
   * (`daily on 09:30 Europe/Berlin`). Otherwise the option is given as `name:value` in text (a
   * `words` option takes the words after it too: `topic:reinforcement learning`) and `--flag value`
   * in the CLI.
   */
  positional?: boolean;
  /** The CLI's long flag (without `--`); default the option's name. */
  flag?: string;
  /** The CLI's one-letter flag. */
  short?: string;
  /** Longest value, in characters (Discord enforces it in its UI). */
  maxLength?: number;
  /** Smallest and largest value of an integer option. */
  min?: number;
  max?: number;
  /** Suggestions while typing (Discord autocomplete): see commands/autocomplete.ts. */
  autocomplete?: boolean;
  /** The value is one of the corpus's sources (Discord offers them as choices). */
  sourceChoice?: boolean;
  /** Where the option exists; default every surface its command is on. */
  surfaces?: readonly Surface[];
}

export type OptionsDeclaration = Record<string, OptionDeclaration>;

/** The validated input of a command: each option's parsed value (undefined when optional and absent). */
export type InputOf<O extends OptionsDeclaration> = { [K in keyof O]: z.output<O[K]["schema"]> };

/** A group of subcommands: `/karpathy daily on` (Discord's subcommand group, `daily on` in text). */
export interface GroupDeclaration {
  name: string;
  description: string;
  /** The subcommand the group's name alone runs in text (`/karpathy daily` = `daily status`). */
  default?: string;
}

/** One subcommand of `/karpathy`: the single declaration the CLI, console, Discord and Slack derive from. */
export interface CommandDeclaration<O extends OptionsDeclaration = OptionsDeclaration> {
  name: string;
  description: string;
  /** The group it belongs to, if any: its full name is then `<group> <name>`. */
  group?: GroupDeclaration;
  /** In the order usage lines show them. */
  options: O;
  /** Where users may run it; default every surface. */
  surfaces?: readonly Surface[];
  /** What the user must be allowed to do in the channel (checked before `execute`). */
  permissions?: readonly Permission[];
  /** Where help lists it: lower first; ties by name. Default 50. */
  order?: number;
  execute(input: InputOf<O>, context: CommandContext): Reply | Promise<Reply>;
  /** The CLI's `--json` output; without one the command has no `--json`. */
  json?(input: InputOf<O>, context: CommandContext): unknown;
}

/** Declares a command with its input typed from its options. */
export function declare<O extends OptionsDeclaration>(c: CommandDeclaration<O>): CommandDeclaration {
  return c as unknown as CommandDeclaration;
}

/** `quote`, or `daily on` for a command in a group. */
export function fullName(c: Pick<CommandDeclaration, "name" | "group">): string {
  return c.group ? `${c.group.name} ${c.name}` : c.name;
}

/** The command's options that exist on `surface`. */
export function optionsOn(c: CommandDeclaration, surface: Surface): Array<[string, OptionDeclaration]> {
  return Object.entries(c.options).filter(([, o]) => !o.surfaces || o.surfaces.includes(surface));
}

export function isOn(c: CommandDeclaration, surface: Surface): boolean {
  return !c.surfaces || c.surfaces.includes(surface);
}
