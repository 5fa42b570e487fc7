import {
  type APIInteractionResponse,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  InteractionResponseType,
  InteractionType,
} from "discord-api-types/v10";
import { z } from "zod";
import {
  type ClaimStore,
  type Permission,
  type RateLimiter,
  ROOT_COMMAND,
  runAction,
  runCommand,
  suggestFor,
} from "../../../commands/index.js";
import { MESSAGES } from "../../../commands/messages.js";
import type { QuoteEngine } from "../../core/engine.js";
import type { Logger } from "../../log.js";
import { DISCORD_LIMITS } from "./limits.js";
import { type DiscordMessage, fitChoices, note, parseCustomId, renderReply, toApiMessage } from "./render.js";

/** Discord's autocomplete bounds, handed to the platform-neutral suggester. */
const CHOICE_LIMITS = {
  choices: DISCORD_LIMITS.choices,
  nameMax: DISCORD_LIMITS.choiceName,
  valueMax: DISCORD_LIMITS.choiceValue,
} as const;

/**
 * The one interaction handler both transports share. Each transport reads its input into an
 * `Incoming` (`incomingFromApi` for raw HTTP payloads, `incomingFromDiscordJs` in gateway.ts), `decide`
 * runs the neutral command or button and says what to answer (`Outcome`), and the transport sends it:
 * as the HTTP response body (`toInteractionResponse`) or through discord.js's interaction methods.
 */

export interface Invoker {
  id: string;
  /** What "Shared by …" shows: the server nickname, else the display name, else the username. */
  name: string;
}

export type Incoming =
  | { type: "ping" }
  | {
      type: "command";
      command: string;
      subcommand: string | undefined;
      options: Record<string, unknown>;
      user: Invoker | undefined;
      /** What the member may do in this channel; undefined outside a server (a DM). */
      permissions?: ReadonlySet<Permission> | undefined;
    }
  | {
      type: "autocomplete";
      command: string;
      subcommand?: string | undefined;
      focused: { name: string; value: string } | undefined;
      options: Record<string, unknown>;
    }
  | { type: "button"; customId: string; user: Invoker | undefined; ownerId: string | undefined }
  | { type: "unsupported"; what: string };

export type Outcome =
  | { type: "pong" }
  /** A new message answering the interaction. */
  | { type: "reply"; message: DiscordMessage }
  /** Replace the message whose button was pressed; `followUp` is then posted as a new message. */
  | {
      type: "update";
      message: DiscordMessage;
      followUp?: DiscordMessage;
      /** Gives the preview's Send back when `followUp` could not be posted, so it may be pressed again. */
      release?: (() => Promise<void>) | undefined;
    }
  | { type: "choices"; choices: Array<{ name: string; value: string }> };

export interface HandlerContext {
  engine: QuoteEngine;
  log: Logger;
  /** Per-user limit on commands and button presses (autocomplete is exempt); none when undefined. */
  limiter?: RateLimiter | undefined;
  /** Where Send records the previews it posted (default: this process's memory). */
  claims?: ClaimStore | undefined;
}

/** Decides the answer to one interaction. Never throws: a failure is logged and answered politely. */
export async function decide(incoming: Incoming, context: HandlerContext): Promise<Outcome> {
  try {
    return await decideOrThrow(incoming, context);
  } catch (error) {
    context.log.error({ err: error, interaction: summary(incoming) }, "Discord: interaction failed");
    return failureOutcome(incoming);
  }
}

/** What to answer when answering failed: a short ephemeral note, no choices, or PONG. */
export function failureOutcome(incoming: Incoming): Outcome {
  if (incoming.type === "autocomplete") return { type: "choices", choices: [] };
  if (incoming.type === "ping") return { type: "pong" };
  return { type: "reply", message: note(MESSAGES.failure) };
}

async function decideOrThrow(
  incoming: Incoming,
  { engine, limiter, claims }: HandlerContext,
): Promise<Outcome> {
  switch (incoming.type) {
    case "ping":
      return { type: "pong" };
    case "unsupported":
      return { type: "reply", message: note(MESSAGES.unsupported) };
    case "command": {
      if (incoming.command !== ROOT_COMMAND) return { type: "reply", message: note(MESSAGES.unsupported) };
      const reply = await runCommand(incoming.subcommand ?? "help", incoming.options, {
        engine,
        user: incoming.user,
        limiter,
        surface: "discord",
        permissions: incoming.permissions,
      });
      return { type: "reply", message: renderReply(reply) };
    }
    case "autocomplete": {
      const { focused, options, subcommand } = incoming;
      if (incoming.command !== ROOT_COMMAND || !focused) return { type: "choices", choices: [] };
      // The subcommand is missing from old payloads and a few tests: the query is quote's.
      const command = subcommand ?? "quote";
      return {
        type: "choices",
        choices: fitChoices(suggestFor(engine, command, focused.name, focused.value, CHOICE_LIMITS, options)),
      };
    }
    case "button": {
      const parsed = parseCustomId(incoming.customId);
      if (!parsed) return { type: "reply", message: note(MESSAGES.badButton) };
      // Fail closed: a press whose message does not say who ran the command is nobody's to press.
      if (incoming.ownerId === undefined || incoming.ownerId !== incoming.user?.id)
        return { type: "reply", message: note(MESSAGES.notYours) };
      const reply = await runAction(parsed.action, parsed.state, {
        engine,
        user: incoming.user,
        limiter,
        claims,
        surface: "discord",
      });
      switch (reply.kind) {
        case "quote":
          return { type: "update", message: renderReply(reply) };
        case "shared":
          // An ephemeral preview can never become public: close it, then post a new public message.
          return {
            type: "update",
            message: note(MESSAGES.sent),
            followUp: renderReply(reply),
            release: reply.release,
          };
        case "dismiss":
          return { type: "update", message: renderReply(reply) };
        default:
          return { type: "reply", message: renderReply(reply) };
      }
    }
  }
}

/** The HTTP response body for an outcome. */
export function toInteractionResponse(outcome: Outcome): APIInteractionResponse {
  switch (outcome.type) {
    case "pong":
      return { type: InteractionResponseType.Pong };
    case "reply":
      return { type: InteractionResponseType.ChannelMessageWithSource, data: toApiMessage(outcome.message) };
    case "update":
      return {
        type: InteractionResponseType.UpdateMessage,
        data: toApiMessage(outcome.message, { update: true }),
      };
    case "choices":
      return {
        type: InteractionResponseType.ApplicationCommandAutocompleteResult,
        data: { choices: outcome.choices },
      };
  }
}

// ── Reading interactions ─────────────────────────────────────────────────────────────────────────

/** An option as both the raw API and discord.js's `options.data` carry it. */
export interface OptionLike {
  name: string;
  type: number;
  value?: unknown;
  focused?: boolean | undefined;
  options?: readonly OptionLike[] | undefined;
}

/** `/karpathy quote query:x` arrives as one subcommand option holding the real options. */
export function readOptions(list: readonly OptionLike[] = []): {
  subcommand: string | undefined;
  options: Record<string, unknown>;
  focused: { name: string; value: string } | undefined;
} {
  let subcommand: string | undefined;
  let values = list;
  // `/karpathy daily on time:09:00` arrives as group → subcommand → options: the name is "daily on".
  for (let depth = 0; depth < 2; depth++) {
    const sub = values.find(
      (o) =>
        o.type === ApplicationCommandOptionType.Subcommand ||
        o.type === ApplicationCommandOptionType.SubcommandGroup,
    );
    if (!sub) break;
    subcommand = subcommand ? `${subcommand} ${sub.name}` : sub.name;
    values = sub.options ?? [];
    if (sub.type === ApplicationCommandOptionType.Subcommand) break;
  }
  const options: Record<string, unknown> = {};
  let focused: { name: string; value: string } | undefined;
  for (const o of values) {
    options[o.name] = o.value;
    if (o.focused) focused = { name: o.name, value: String(o.value ?? "") };
  }
  return { subcommand, options, focused };
}

const optionSchema: z.ZodType<OptionLike> = z.lazy(() =>
  z.object({
    name: z.string(),
    type: z.number(),
    value: z.unknown().optional(),
    focused: z.boolean().optional(),
    options: z.array(optionSchema).optional(),
  }),
);

const userSchema = z.object({
  id: z.string(),
  username: z.string().optional(),
  global_name: z.string().nullish(),
});

/** The part of an interaction payload the handler reads; the rest is ignored. */
export const rawInteractionSchema = z.object({
  type: z.number().int(),
  id: z.string().optional(),
  application_id: z.string().optional(),
  token: z.string().optional(),
  data: z
    .object({
      name: z.string().optional(),
      type: z.number().optional(),
      options: z.array(optionSchema).optional(),
      custom_id: z.string().optional(),
      component_type: z.number().optional(),
    })
    .optional(),
  member: z
    .object({ nick: z.string().nullish(), user: userSchema.optional(), permissions: z.string().optional() })
    .optional(),
  user: userSchema.optional(),
  message: z
    .object({
      interaction_metadata: z.object({ user: z.object({ id: z.string() }) }).optional(),
      interaction: z.object({ user: z.object({ id: z.string() }) }).optional(),
    })
    .optional(),
});
export type RawInteraction = z.infer<typeof rawInteractionSchema>;

export function incomingFromApi(raw: RawInteraction): Incoming {
  const user = invokerOf(raw);
  switch (raw.type) {
    case InteractionType.Ping:
      return { type: "ping" };
    case InteractionType.ApplicationCommand: {
      if (raw.data?.type !== ApplicationCommandType.ChatInput)
        return { type: "unsupported", what: "command" };
      const { subcommand, options } = readOptions(raw.data.options);
      const permissions = permissionsOf(raw.member?.permissions);
      return { type: "command", command: raw.data.name ?? "", subcommand, options, user, permissions };
    }
    case InteractionType.ApplicationCommandAutocomplete: {
      const { focused, options, subcommand } = readOptions(raw.data?.options);
      return { type: "autocomplete", command: raw.data?.name ?? "", subcommand, focused, options };
    }
    case InteractionType.MessageComponent:
      if (raw.data?.component_type !== ComponentType.Button || !raw.data.custom_id)
        return { type: "unsupported", what: "component" };
      return {
        type: "button",
        customId: raw.data.custom_id,
        user,
        // Who ran the command that produced the preview (`interaction` is the deprecated field).
        ownerId: raw.message?.interaction_metadata?.user.id ?? raw.message?.interaction?.user.id,
      };
    default:
      return { type: "unsupported", what: `interaction type ${raw.type}` };
  }
}

/** Discord's permission bits (as a decimal string or bigint) → what the declarations ask for. */
const PERMISSION_BITS: Record<Permission, bigint> = { manageChannel: 1n << 4n };

export function permissionsOf(bits: string | bigint | undefined): ReadonlySet<Permission> | undefined {
  if (bits === undefined) return undefined;
  let value: bigint;
  try {
    value = BigInt(bits);
  } catch {
    return new Set(); // unreadable: grant nothing
  }
  const ADMINISTRATOR = 1n << 3n;
  return new Set(
    (Object.keys(PERMISSION_BITS) as Permission[]).filter(
      (p) => (value & ADMINISTRATOR) !== 0n || (value & PERMISSION_BITS[p]) !== 0n,
    ),
  );
}

function invokerOf(raw: RawInteraction): Invoker | undefined {
  const user = raw.member?.user ?? raw.user;
  if (!user) return undefined;
  return { id: user.id, name: raw.member?.nick || user.global_name || user.username || user.id };
}

/** What the log says about an interaction: its kind and command, never the user's text. */
export function summary(incoming: Incoming): Record<string, unknown> {
  switch (incoming.type) {
    case "command":
      return { type: "command", subcommand: incoming.subcommand, user: incoming.user?.id };
    case "autocomplete":
      return { type: "autocomplete", option: incoming.focused?.name };
    case "button":
      return { type: "button", action: parseCustomId(incoming.customId)?.action, user: incoming.user?.id };
    default:
      return { type: incoming.type };
  }
}
