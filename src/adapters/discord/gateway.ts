import {
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  GuildMember,
  type Interaction,
} from "discord.js";
import type { ClaimStore, DailyService, RateLimiter } from "../../../commands/index.js";
import type { DiscordConfig } from "../../config.js";
import type { QuoteEngine } from "../../core/engine.js";
import type { Logger } from "../../log.js";
import { closeIfFails, openRateLimiter } from "../../store/ratelimit.js";
import { HTTP_DEFAULTS, settleWithin } from "../http.js";
import type { AdapterServices, RunningAdapter } from "../types.js";
import {
  decide,
  type HandlerContext,
  type Incoming,
  type Invoker,
  type Outcome,
  permissionsOf,
  placeOf,
  readOptions,
  summary,
} from "./handler.js";
import { NOTES, note, toDiscordJsReply, toDiscordJsUpdate } from "./render.js";

export interface GatewayOptions {
  /** Per-user limit on commands and button presses (autocomplete is exempt); none when undefined. */
  limiter?: RateLimiter | undefined;
  /** Receives each interaction being answered until it is, so a stop can wait for them. */
  inFlight?: Set<Promise<void>>;
  /** The quote-of-the-day subscriptions (`daily on/off/status`). */
  daily?: DailyService | undefined;
  /** Where Send records the previews it posted (default: this process's memory). */
  claims?: ClaimStore | undefined;
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
  { limiter, inFlight, daily, claims }: GatewayOptions = {},
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
    const task = handleInteraction(interaction, { engine, log, limiter, daily, claims });
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
  services: AdapterServices = {},
): Promise<RunningAdapter> {
  if (!config.token) throw new Error("Discord: DISCORD_TOKEN is required for DISCORD_MODE=gateway");
  const rateLimit = await openRateLimiter(config, log);
  const { limiter } = rateLimit;
  const inFlight = new Set<Promise<void>>();
  const rest = config.apiUrl ? { rest: { api: config.apiUrl } } : {};
  const client = createGatewayClient(engine, log, rest, {
    limiter,
    inFlight,
    daily: services.daily,
    claims: services.store,
  });
  await closeIfFails(rateLimit, client.login(config.token));
  return {
    name: "discord (gateway)",
    // Take no new interactions, let the ones being answered finish (a few seconds at most), disconnect.
    async stop() {
      client.removeAllListeners(Events.InteractionCreate);
      await settleWithin(inFlight, HTTP_DEFAULTS.stopGraceMs);
      await client.destroy();
      await rateLimit.close();
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
      place: placeOf(
        interaction.guildId,
        interaction.channelId,
        interaction.authorizingIntegrationOwners
          ? { "0": interaction.authorizingIntegrationOwners.guildId ?? "" }
          : undefined,
      ),
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
      if (interaction.isMessageComponent()) await interaction.update(toDiscordJsUpdate(outcome.message));
      return;
    case "share": {
      if (!interaction.isMessageComponent()) return;
      // The preview says "Sent" only once the public message exists.
      await interaction.deferUpdate();
      try {
        await interaction.followUp(toDiscordJsReply(outcome.message));
      } catch (error) {
        await outcome.release?.();
        await interaction.editReply(toDiscordJsUpdate(outcome.failed));
        throw error;
      }
      await interaction.editReply(toDiscordJsUpdate(outcome.sent));
      return;
    }
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
