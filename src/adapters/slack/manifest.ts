import { COMMANDS, isOn, ROOT_DESCRIPTION, usageOf } from "../../../commands/index.js";
import { EVENTS_PATH, REDIRECT_PATH } from "./receiver.js";
import { SLASH_COMMAND } from "./register.js";

/**
 * Slack's app manifests, derived from the command declarations and the adapter's own constants.
 * They are files Slack's "Create app from manifest" reads, so they are committed:
 * `npm run slack:manifest` writes slack/manifest.socket.json and slack/manifest.http.json from
 * this, and tests/adapters/slack/manifest.test.ts checks that both still say exactly this.
 */

/** The connection modes, each with its own manifest file. */
export const MANIFEST_MODES = ["socket", "http"] as const;
export type ManifestMode = (typeof MANIFEST_MODES)[number];

/** Where each manifest is committed, relative to the repository root. */
export const MANIFEST_FILES: Record<ManifestMode, string> = {
  socket: "slack/manifest.socket.json",
  http: "slack/manifest.http.json",
};

/** The public base URL written into the committed HTTP manifest: replace it with your own host. */
export const PLACEHOLDER_BASE_URL = "https://karpathy.example.com";

/**
 * The bot scopes the adapter uses: the slash command, chat.postMessage/postEphemeral (replies,
 * DMs), mentions, and reading the DMs users send the bot (the Messages tab). views.publish (the
 * App Home) needs none of its own.
 */
// channels:join: a quote of the day joins a public channel it was not invited to (conversations.join).
export const BOT_SCOPES = [
  "commands",
  "chat:write",
  "channels:join",
  "app_mentions:read",
  "im:history",
] as const;
/**
 * The events the app subscribes to. app_uninstalled and tokens_revoked need no subscription: Slack
 * sends them to every app with events on, and OAuth mode deletes the installation on either.
 */
export const BOT_EVENTS = ["app_mention", "message.im", "app_home_opened"] as const;

export function slashCommandManifest(): { command: string; description: string; usage_hint: string } {
  return {
    command: SLASH_COMMAND,
    description: ROOT_DESCRIPTION,
    usage_hint: COMMANDS.filter((c) => isOn(c, "slack"))
      .map((c) => usageOf(c, "slack").replace(`${SLASH_COMMAND} `, ""))
      .join(" | "),
  };
}

const LONG_DESCRIPTION =
  `Type ${SLASH_COMMAND} and a few words (or a question) to find what Andrej Karpathy actually said about ` +
  "it, verbatim, with the talk or podcast it comes from, the date and a link to the moment. The quote is " +
  "shown only to you until you press Send; Next shows the next match, Context the exchange around it. " +
  "Mention the app with a question to get the best quote in a thread, or write to it in its Messages tab.";

/**
 * The whole manifest for one mode. Socket Mode needs no URL; HTTP mode points the slash command,
 * interactivity and events at `<baseUrl>/slack/events` and lists `<baseUrl>/slack/oauth_redirect`
 * for the OAuth install flow.
 * @example
 * slackManifest("http", "https://bot.example.org").settings.event_subscriptions.request_url
 * // "https://bot.example.org/slack/events"
 */
export function slackManifest(mode: ManifestMode, baseUrl: string = PLACEHOLDER_BASE_URL) {
  const base = baseUrl.replace(/\/+$/u, "");
  const http = mode === "http";
  const events = `${base}${EVENTS_PATH}`;
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: "Karpathy Quotes",
      description: ROOT_DESCRIPTION,
      long_description: LONG_DESCRIPTION,
      background_color: "#1d1c1d",
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: "karpathy", always_online: false },
      slash_commands: [{ ...slashCommandManifest(), ...(http ? { url: events } : {}), should_escape: false }],
    },
    oauth_config: {
      ...(http ? { redirect_urls: [`${base}${REDIRECT_PATH}`] } : {}),
      scopes: { bot: [...BOT_SCOPES] },
    },
    settings: {
      event_subscriptions: { ...(http ? { request_url: events } : {}), bot_events: [...BOT_EVENTS] },
      interactivity: { is_enabled: true, ...(http ? { request_url: events } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !http,
      token_rotation_enabled: false,
    },
  };
}

/** A manifest file's text: two-space JSON and a final newline. */
export function manifestText(mode: ManifestMode, baseUrl?: string): string {
  return `${JSON.stringify(slackManifest(mode, baseUrl), null, 2)}\n`;
}
