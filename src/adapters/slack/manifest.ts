import { COMMANDS, isOn, ROOT_DESCRIPTION, usageOf } from "../../../commands/index.js";
import { SLASH_COMMAND } from "./register.js";

/**
 * The slash command entry of slack/manifest.yml, derived from the command declarations. The manifest
 * is a file Slack's "Create app from manifest" reads, so it is committed; `npm run slack:manifest`
 * rewrites its slash command from this, and a test checks it still says exactly this.
 */
export function slashCommandManifest(): { command: string; description: string; usage_hint: string } {
  return {
    command: SLASH_COMMAND,
    description: ROOT_DESCRIPTION,
    usage_hint: COMMANDS.filter((c) => isOn(c, "slack"))
      .map((c) => usageOf(c, "slack").replace(`${SLASH_COMMAND} `, ""))
      .join(" | "),
  };
}

/** The bot scopes and events the adapter uses: slash command, chat.postMessage/postEphemeral, mentions. */
/** channels:join: a quote of the day joins a public channel it was not invited to (conversations.join). */
export const BOT_SCOPES = ["commands", "chat:write", "channels:join", "app_mentions:read"] as const;
export const BOT_EVENTS = ["app_mention"] as const;
