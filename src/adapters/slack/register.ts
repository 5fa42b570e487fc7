import type { App, RespondArguments, RespondFn } from "@slack/bolt";
import {
  parseCommandText,
  type Reply,
  ROOT_COMMAND,
  runAction,
  runCommand,
} from "../../../commands/index.js";
import type { QuoteEngine } from "../../core/engine.js";
import type { Logger } from "../../log.js";
import { ACTION_PREFIX, actionOf, renderReply, type SlackMessage } from "./render.js";
import { slackToPlain } from "./text.js";

/** The slash command as registered in slack/manifest.yml. */
export const SLASH_COMMAND = `/${ROOT_COMMAND}`;

/** What a user sees when something broke on our side; the details go to the log. */
export const INTERNAL_ERROR: Reply = {
  kind: "invalid",
  message: "Something went wrong on our side. Try again in a moment.",
};

/** Quotes are text, not previews of YouTube: no link unfurling on anything we post. */
const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

interface SlackUser {
  id: string;
  name: string;
}

/**
 * Wires Slack's three inputs to the command declarations: the slash command (answered in its ack),
 * the preview buttons (answered through response_url) and mentions (answered in a thread).
 */
export function registerListeners(app: App, engine: QuoteEngine, log: Logger): void {
  // The reply rides in the ack itself: the engine answers in milliseconds, so the ephemeral preview
  // arrives in the HTTP response (or the Socket Mode envelope), with no outbound call to fail.
  app.command(SLASH_COMMAND, async ({ command, ack }) => {
    const reply = answerText(engine, command.text, { id: command.user_id, name: command.user_name }, log);
    await ack({ response_type: "ephemeral", ...renderReply(reply) });
  });

  app.action({ type: "block_actions", action_id: new RegExp(`^${ACTION_PREFIX}`) }, async (args) => {
    await args.ack();
    const { action, body, respond } = args;
    const user: SlackUser = { id: body.user.id, name: body.user.username ?? body.user.name ?? body.user.id };
    const value = action.type === "button" ? (action.value ?? "") : "";
    const reply = pressButton(engine, action.action_id, value, user, log);
    await deliver(respond, actionResponses(reply, user.id), log);
  });

  app.event("app_mention", async ({ event, client }) => {
    if (event.bot_id || !event.user) return; // never answer a bot: two bots could talk forever
    const user = { id: event.user, name: event.user };
    const reply = answerText(engine, event.text, user, log);
    const thread_ts = event.thread_ts ?? event.ts;
    try {
      if (reply.kind === "quote")
        await client.chat.postMessage({
          channel: event.channel,
          thread_ts,
          ...renderReply({ kind: "shared", result: reply.result }),
          ...NO_UNFURL,
        });
      else
        await client.chat.postEphemeral({
          channel: event.channel,
          user: event.user,
          thread_ts,
          ...renderReply(reply),
        });
    } catch (error) {
      log.error({ err: error, channel: event.channel }, "slack: could not answer a mention");
    }
  });

  app.error(async (error) => {
    log.error({ err: error }, "slack: unhandled error in a listener");
  });
}

/**
 * Slack text (a slash command's argument or a mention) → reply. Never throws: a bug becomes a short
 * message for the user and a stack trace in the log.
 */
export function answerText(engine: QuoteEngine, raw: string, user: SlackUser, log: Logger): Reply {
  try {
    const { command, options } = parseCommandText(slackToPlain(raw));
    return runCommand(command, options, { engine, user });
  } catch (error) {
    log.error({ err: error, user: user.id, length: raw.length }, "slack: command failed");
    return INTERNAL_ERROR;
  }
}

/** A preview button press → reply, from the state the button carries. Never throws. */
export function pressButton(
  engine: QuoteEngine,
  actionId: string,
  value: string,
  user: SlackUser,
  log: Logger,
): Reply {
  const action = actionOf(actionId);
  if (!action) return { kind: "invalid", message: "That button is not valid any more." };
  try {
    return runAction(action, value, { engine, user });
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

/** Sends the responses in order; stops at the first failure (so a failed Send keeps its preview). */
async function deliver(respond: RespondFn | undefined, messages: RespondArguments[], log: Logger) {
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
      return;
    }
  }
}
