import {
  type App,
  ErrorCode,
  type InstallationStore,
  type RespondArguments,
  type RespondFn,
  type webApi,
} from "@slack/bolt";
import {
  type ClaimStore,
  type CommandContext,
  type DailyService,
  MESSAGES,
  parseCommandText,
  type RateLimiter,
  type Reply,
  ROOT_COMMAND,
  runAction,
  runCommand,
} from "../../../commands/index.js";
import type { QuoteEngine } from "../../core/engine.js";
import type { Logger } from "../../log.js";
import { homeView } from "./home.js";
import { ACTION_PREFIX, actionOf, renderReply, type SlackMessage } from "./render.js";
import { slackToPlain } from "./text.js";

/** The slash command as registered in the Slack manifests (slack/manifest.*.json). */
export const SLASH_COMMAND = `/${ROOT_COMMAND}`;

/** The interaction payloads this app answers: presses of its preview buttons. */
export const INTERACTION_TYPES = ["block_actions"] as const;

/** What a user sees when something broke on our side; the details go to the log. */
export const INTERNAL_ERROR: Reply = { kind: "invalid", message: MESSAGES.failure };

/** What a press of a button this app does not know gets. */
const UNKNOWN_BUTTON: Reply = { kind: "invalid", message: MESSAGES.badButton };

/** What a sharer sees when Slack refused to post their quote in the channel. */
export const NOT_SENT: Reply = { kind: "invalid", message: MESSAGES.notSent };

/** Quotes are text, not previews of YouTube: no link unfurling on anything we post. */
const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

interface SlackUser {
  id: string;
  name: string;
}

export interface ListenerOptions {
  /** Per-user limit on commands, mentions and button presses; none when undefined. */
  limiter?: RateLimiter | undefined;
  /** Where Send records the previews it posted (default: this process's memory). */
  claims?: ClaimStore | undefined;
  /** The quote-of-the-day subscriptions (`daily on/off/status`). */
  daily?: DailyService | undefined;
  /** OAuth mode: the installations that app_uninstalled and tokens_revoked delete. */
  installations?: InstallationStore | undefined;
}

export interface Listeners {
  /** Answers still being sent after their ack (response_url calls, mention replies), for a graceful stop. */
  pending(): Iterable<Promise<unknown>>;
}

/**
 * Wires Slack's inputs to the command declarations: the slash command (answered in its ack), the
 * preview buttons (answered through response_url), mentions (answered in a thread) and direct
 * messages (answered in the DM), plus the App Home and, in OAuth mode, uninstalls.
 * Every Web API call goes through the listener's `client`, which Bolt builds with the token its
 * authorize step found for that request's workspace.
 */
export function registerListeners(
  app: App,
  engine: QuoteEngine,
  log: Logger,
  { limiter, claims, daily, installations }: ListenerOptions = {},
): Listeners {
  const pending = new Set<Promise<unknown>>();
  const track = (task: Promise<unknown>) => {
    pending.add(task);
    return task.finally(() => pending.delete(task));
  };

  // The reply rides in the ack itself: the engine answers in milliseconds, so the ephemeral preview
  // arrives in the HTTP response (or the Socket Mode envelope), with no outbound call to fail.
  app.command(SLASH_COMMAND, async ({ command, ack }) => {
    // `user_name` is optional in the schema (Slack is retiring it): the id stands in, as for a press.
    const user = { id: command.user_id, name: command.user_name ?? command.user_id };
    let message: SlackMessage;
    try {
      // Slack has no channel permission bit to check: anyone in the channel may set its quote of the
      // day (README, "Quote of the day"); the status shows who did.
      const place = {
        platform: "slack" as const,
        workspaceId: command.team_id,
        channelId: command.channel_id,
      };
      message = renderReply(await answerText(engine, command.text, user, log, limiter, { place, daily }));
    } catch (error) {
      log.error({ err: error, user: user.id }, "slack: could not render a reply");
      message = renderReply(INTERNAL_ERROR);
    }
    await ack({ response_type: "ephemeral", ...message });
  });

  app.action({ type: "block_actions", action_id: new RegExp(`^${ACTION_PREFIX}`) }, async (args) => {
    await args.ack();
    const { action, body, respond } = args;
    const user: SlackUser = { id: body.user.id, name: body.user.username ?? body.user.name ?? body.user.id };
    const value = action.type === "button" ? (action.value ?? "") : "";
    const reply = await pressButton(engine, action.action_id, value, user, log, { limiter, claims });
    await track(deliver(respond, actionResponses(reply, user.id), log, reply));
  });

  // A button that is not ours (another version's, or a forged id): acknowledged, and a short note.
  app.action({ type: "block_actions", action_id: new RegExp(`^(?!${ACTION_PREFIX})`) }, async (args) => {
    await args.ack();
    await track(deliver(args.respond, actionResponses(UNKNOWN_BUTTON, args.body.user.id), log));
  });

  /**
   * A mention or a DM → the best quote for everyone in the conversation (in the mention's thread);
   * nothing found or a mistake: in a channel only to the asker, in a DM simply to them.
   */
  const answerMessage = async (
    client: webApi.WebClient,
    message: {
      user: string;
      text?: string | undefined;
      channel: string;
      ts: string;
      thread_ts?: string | undefined;
    },
    where: "mention" | "dm",
  ) => {
    const { user, channel } = message;
    const reply = await answerText(engine, message.text, { id: user, name: user }, log, limiter);
    const thread_ts = where === "mention" ? (message.thread_ts ?? message.ts) : message.thread_ts;
    const place = { channel, ...(thread_ts ? { thread_ts } : {}) };
    const answer = async () =>
      reply.kind === "quote"
        ? client.chat.postMessage({
            ...place,
            ...renderReply({ kind: "shared", result: reply.result }),
            ...NO_UNFURL,
          })
        : where === "mention"
          ? client.chat.postEphemeral({ ...place, user, ...renderReply(reply) })
          : client.chat.postMessage({ ...place, ...renderReply(reply), ...NO_UNFURL });
    await track(answer()).catch((error: unknown) =>
      log.error({ err: error, channel, where }, "slack: could not answer a message"),
    );
  };

  app.event("app_mention", async ({ event, client }) => {
    if (event.bot_id || !event.user) return; // never answer a bot: two bots could talk forever
    await answerMessage(client, { ...event, user: event.user }, "mention");
  });

  // The Messages tab: a DM to the bot is read like a mention. Edits, joins and other subtypes, and
  // anything a bot wrote (ours included: Bolt's ignoreSelf also drops those), are left alone.
  app.event("message", async ({ event, client }) => {
    if (event.channel_type !== "im" || event.subtype !== undefined) return;
    if (event.bot_id || !event.user) return;
    await answerMessage(client, event, "dm");
  });

  // The Home tab: a short how-to, published for the user who opened it.
  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    await track(
      (async () => client.views.publish({ user_id: event.user, view: await homeView(engine, event.user) }))(),
    ).catch((error: unknown) =>
      log.error({ err: error, user: event.user }, "slack: could not publish the App Home"),
    );
  });

  if (installations?.deleteInstallation) {
    const remove = installations.deleteInstallation.bind(installations);
    // Bolt runs these two without authorize (the token may be gone already); the body says whose.
    const forget = async (
      context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean },
      why: string,
    ) => {
      try {
        await remove({
          teamId: context.teamId,
          enterpriseId: context.enterpriseId,
          isEnterpriseInstall: context.isEnterpriseInstall ?? false,
        });
        log.info(
          { team: context.teamId, enterprise: context.enterpriseId, why },
          "slack: installation deleted",
        );
      } catch (error) {
        log.error({ err: error, team: context.teamId, why }, "slack: could not delete an installation");
      }
    };
    app.event("app_uninstalled", async ({ context }) => forget(context, "app_uninstalled"));
    // Only the bot's token is used; a revoked user token (the app asks for none) changes nothing.
    app.event("tokens_revoked", async ({ event, context }) => {
      if ((event.tokens.bot ?? []).length > 0) await forget(context, "tokens_revoked");
    });
  }

  app.error(async (error) => {
    // OAuth mode, a workspace with no installation (never installed, or uninstalled): Bolt acks
    // with an empty body and runs no listener. Expected, not a bug.
    if (error.code === ErrorCode.AuthorizationError)
      return void log.warn({ reason: error.message }, "slack: request from a workspace with no installation");
    log.error({ err: error }, "slack: unhandled error in a listener");
  });

  return { pending: () => pending };
}

/**
 * Slack text (a slash command's argument or a mention) → reply. Never throws: a bug becomes a short
 * message for the user and a stack trace in the log.
 */
export async function answerText(
  engine: QuoteEngine,
  raw: string | undefined,
  user: SlackUser,
  log: Logger,
  limiter?: RateLimiter,
  where: Pick<CommandContext, "place" | "daily"> = {},
): Promise<Reply> {
  // Slack omits `text` from a bare `/karpathy` (and an event may carry none): that is empty text,
  // which gets the usage reply, not an error.
  const text = raw ?? "";
  try {
    const parsed = parseCommandText(slackToPlain(text), "slack");
    if (!parsed.ok) return { kind: "invalid", message: parsed.message };
    return await runCommand(parsed.command, parsed.options, {
      engine,
      user,
      limiter,
      surface: "slack",
      ...where,
    });
  } catch (error) {
    log.error({ err: error, user: user.id, length: text.length }, "slack: command failed");
    return INTERNAL_ERROR;
  }
}

/** A preview button press → reply, from the state the button carries. Never throws. */
async function pressButton(
  engine: QuoteEngine,
  actionId: string,
  value: string,
  user: SlackUser,
  log: Logger,
  { limiter, claims }: ListenerOptions,
): Promise<Reply> {
  const action = actionOf(actionId);
  if (!action) return UNKNOWN_BUTTON;
  try {
    return await runAction(action, value, { engine, user, limiter, claims, surface: "slack" });
  } catch (error) {
    log.error({ err: error, user: user.id, action }, "slack: button failed");
    return INTERNAL_ERROR;
  }
}

/**
 * What a button's reply does to the ephemeral preview, as response_url calls in order:
 * Next replaces it, Send posts in the channel and then deletes it (`delete_original` must travel
 * alone), Context adds an ephemeral message, Cancel deletes it; anything else is a short note.
 */
export function actionResponses(reply: Reply, sharerId: string): RespondArguments[] {
  const rendered = (r: Reply): SlackMessage => renderReply(r, { sharerId, command: SLASH_COMMAND });
  switch (reply.kind) {
    case "quote":
      return [{ response_type: "ephemeral", replace_original: true, ...rendered(reply) }];
    case "shared":
      return [
        { response_type: "in_channel", replace_original: false, ...rendered(reply), ...NO_UNFURL },
        { delete_original: true },
      ];
    case "dismiss":
      return [{ delete_original: true }];
    default:
      return [{ response_type: "ephemeral", replace_original: false, ...rendered(reply) }];
  }
}

/**
 * Sends the responses in order; stops at the first failure (so a failed Send keeps its preview) and
 * then tries to tell the user, through the same response_url, that it did not work. Never rejects.
 */
async function deliver(
  respond: RespondFn | undefined,
  messages: RespondArguments[],
  log: Logger,
  reply?: Reply,
) {
  if (!respond) {
    log.warn("slack: a button press came without a response_url");
    return;
  }
  for (const m of messages) {
    try {
      await respond(m);
    } catch (error) {
      // RespondError: the response_url expired (30 minutes, 5 uses) or Slack is unreachable.
      log.error({ err: error }, "slack: response_url call failed");
      // Deleting a preview after its quote was posted: the quote is out; nothing to apologise for.
      if (m.delete_original) return;
      const note = m.response_type === "in_channel" ? NOT_SENT : INTERNAL_ERROR;
      // Nothing was posted: the preview (still there) may be sent again.
      if (m.response_type === "in_channel" && reply?.kind === "shared") await reply.release?.();
      try {
        await respond({ response_type: "ephemeral", replace_original: false, ...renderReply(note) });
      } catch (noteError) {
        log.warn({ err: noteError }, "slack: could not send the failure note either");
      }
      return;
    }
  }
}
