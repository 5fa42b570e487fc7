import {
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  GuildMember,
  type Interaction,
} from "discord.js";
import { RateLimiter } from "../../../commands/index.js";
import type { DiscordConfig } from "../../config.js";
import type { QuoteEngine } from "../../core/engine.js";
import type { Logger } from "../../log.js";
import { HTTP_DEFAULTS, settleWithin } from "../http.js";
import type { RunningAdapter } from "../types.js";
import {
  decide,
  type HandlerContext,
  type Incoming,
  type Invoker,
  type Outcome,
  permissionsOf,
  readOptions,
  summary,
} from "./handler.js";
import { NOTES, note, toDiscordJsReply, toDiscordJsUpdate } from "./render.js";

export interface GatewayOptions {
  /** Per-user limit on commands and button presses (autocomplete is exempt); none when undefined. */
  limiter?: RateLimiter | undefined;
  /** Receives each interaction being answered until it is, so a stop can wait for them. */
  inFlight?: Set<Promise<void>>;
}

/**
 * The gateway transport: a discord.js `Client` with the `Guilds` intent (all interactions need). Each
 * interaction is read into the shared `Incoming`, decided by `decide`, and answered with discord.js's
 * own interaction methods.
 */
export function createGatewayClient(
  engine: QuoteEngine,
  log: Logger,
  options: Partial<ClientOptions> = {},
  { limiter, inFlight }: GatewayOptions = {},
): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // The default for every message; each payload also sets it explicitly.
    allowedMentions: { parse: [] },
    ...options,
  });
  client.once(Events.ClientReady, (ready) =>
    log.info(
      { user: ready.user.tag, guilds: ready.guilds.cache.size, shards: ready.shard?.ids },
      "Discord: gateway ready",
    ),
  );
  client.on(Events.Error, (error) => log.error({ err: error }, "Discord: client error"));
  client.on(Events.Warn, (message) => log.warn(message));
  client.on(Events.InteractionCreate, (interaction) => {
    const task = handleInteraction(interaction, { engine, log, limiter });
    inFlight?.add(task);
    void task.finally(() => inFlight?.delete(task));
  });
  return client;
}

/** Logs in and returns a handle that destroys the client on stop. */
export async function startGateway(
  engine: QuoteEngine,
  config: DiscordConfig,
  log: Logger,
): Promise<RunningAdapter> {
  if (!config.token) throw new Error("Discord: DISCORD_TOKEN is required for DISCORD_MODE=gateway");
  const limiter = config.rateLimit ? new RateLimiter(config.rateLimit) : undefined;
  const inFlight = new Set<Promise<void>>();
  const rest = config.apiUrl ? { rest: { api: config.apiUrl } } : {};
  const client = createGatewayClient(engine, log, rest, { limiter, inFlight });
  await client.login(config.token);
  return {
    name: "discord (gateway)",
    // Take no new interactions, let the ones being answered finish (a few seconds at most), disconnect.
    async stop() {
      client.removeAllListeners(Events.InteractionCreate);
      await settleWithin(inFlight, HTTP_DEFAULTS.stopGraceMs);
      await client.destroy();
    },
  };
}

/** Answers one discord.js interaction. Resolves when the answer (and any follow-up) is sent; never rejects. */
async function handleInteraction(interaction: Interaction, context: HandlerContext): Promise<void> {
  const incoming = incomingFromDiscordJs(interaction);
  const started = performance.now();
  try {
    await perform(interaction, await decide(incoming, context));
    if (context.log.isLevelEnabled("debug"))
      context.log.debug(
        { interaction: summary(incoming), ms: Math.round(performance.now() - started) },
        "Discord: answered",
      );
  } catch (error) {
    context.log.error({ err: error, interaction: summary(incoming) }, "Discord: could not answer");
    await apologise(interaction, context.log);
  }
}

export function incomingFromDiscordJs(interaction: Interaction): Incoming {
  if (interaction.isChatInputCommand()) {
    const { subcommand, options } = readOptions(interaction.options.data);
    return {
      type: "command",
      command: interaction.commandName,
      subcommand,
      options,
      user: invokerOf(interaction),
      permissions: permissionsOf(interaction.inGuild() ? interaction.memberPermissions.bitfield : undefined),
    };
  }
  if (interaction.isAutocomplete()) {
    const { focused, options, subcommand } = readOptions(interaction.options.data);
    return { type: "autocomplete", command: interaction.commandName, subcommand, focused, options };
  }
  if (interaction.isButton())
    return {
      type: "button",
      customId: interaction.customId,
      user: invokerOf(interaction),
      ownerId: interaction.message.interactionMetadata?.user.id,
    };
  return { type: "unsupported", what: `interaction type ${interaction.type}` };
}

function invokerOf(interaction: Interaction): Invoker {
  const member = interaction.member;
  const name =
    member instanceof GuildMember
      ? member.displayName
      : (member?.nick ?? interaction.user.globalName ?? interaction.user.username);
  return { id: interaction.user.id, name: name || interaction.user.id };
}

async function perform(interaction: Interaction, outcome: Outcome): Promise<void> {
  switch (outcome.type) {
    case "pong":
      return;
    case "choices":
      if (interaction.isAutocomplete()) await interaction.respond(outcome.choices);
      return;
    case "reply":
      if (interaction.isRepliable()) await interaction.reply(toDiscordJsReply(outcome.message));
      return;
    case "update":
      if (!interaction.isMessageComponent()) return;
      await interaction.update(toDiscordJsUpdate(outcome.message));
      if (outcome.followUp)
        await interaction.followUp(toDiscordJsReply(outcome.followUp)).catch(async (error: unknown) => {
          // Nothing was posted: the preview's Send may be pressed again.
          await outcome.release?.();
          throw error;
        });
      return;
  }
}

/** After a failed answer: a short ephemeral apology if the interaction can still take one. */
async function apologise(interaction: Interaction, log: Logger): Promise<void> {
  if (!interaction.isRepliable()) return;
  const message = toDiscordJsReply(note(NOTES.failure));
  try {
    if (interaction.replied || interaction.deferred) await interaction.followUp(message);
    else await interaction.reply(message);
  } catch (error) {
    log.warn({ err: error }, "Discord: could not send the failure note either");
  }
}
