import { webApi } from "@slack/bolt";
import type { DailyPoster, PostOutcome } from "../../daily/scheduler.js";
import { renderReply } from "./render.js";

const { ErrorCode, WebClient } = webApi;
type WebAPICallError = webApi.WebAPICallError;

/** Slack's answers that mean the channel will not take the post until someone acts. */
const CLOSED: Record<string, string> = {
  channel_not_found: "the channel no longer exists or the bot cannot see it (Slack: channel_not_found)",
  is_archived: "the channel is archived (Slack: is_archived)",
  not_in_channel: "the bot is not in the channel: invite it with /invite @karpathy (Slack: not_in_channel)",
  restricted_action: "the workspace does not let the bot post there (Slack: restricted_action)",
  account_inactive: "the bot's token is no longer valid (Slack: account_inactive)",
  token_revoked: "the bot's token was revoked (Slack: token_revoked)",
};

const NOT_INSTALLED = "the app is no longer installed in this workspace (Slack: no installation)";

export interface SlackPosterOptions {
  /** One workspace: its bot token. */
  botToken?: string | undefined;
  /** Many workspaces (OAuth): the bot token stored for a workspace, `undefined` once it uninstalled. */
  tokenFor?: ((workspaceId: string) => Promise<string | undefined>) | undefined;
  /** `SLACK_API_URL`, e.g. `https://slack.com/api/`. */
  apiUrl?: string | undefined;
  timeoutMs?: number;
}

/**
 * Posts a quote of the day with `chat.postMessage`. The blocks escape every `<`, `>` and `&` of the
 * quote, so nothing in it can mention anyone; links are not unfurled. Not in a public channel: it
 * joins it (`conversations.join`, scope channels:join) and posts again; a private one needs an invite.
 */
export function slackPoster({
  botToken,
  tokenFor,
  apiUrl,
  timeoutMs = 10_000,
}: SlackPosterOptions): DailyPoster {
  // No token of its own: each call names its workspace's (one token, or the installation's).
  const client = new WebClient(undefined, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    timeout: timeoutMs,
    // Retries are the scheduler's (through the database, for every instance), not this client's.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // Failures come back as outcomes and are logged by the scheduler, once.
    logLevel: webApi.LogLevel.ERROR,
  });
  const post = async (token: string, channel: string, reply: Parameters<DailyPoster["post"]>[1]) => {
    const result = await client.chat.postMessage({
      token,
      channel,
      ...renderReply(reply),
      unfurl_links: false,
      unfurl_media: false,
    });
    return { ok: true as const, messageId: String(result.ts) };
  };
  return {
    platform: "slack",
    async post({ workspaceId, channelId }, reply): Promise<PostOutcome> {
      let token: string | undefined;
      try {
        token = botToken ?? (await tokenFor?.(workspaceId));
      } catch (error) {
        // The database is down: try again later, as for any passing failure.
        return { ok: false, retry: `installation lookup failed: ${String(error)}` };
      }
      if (!token) return { ok: false, pause: NOT_INSTALLED };
      try {
        return await post(token, channelId, reply);
      } catch (error) {
        if (platformError(error) === "not_in_channel") {
          try {
            await client.conversations.join({ token, channel: channelId });
            return await post(token, channelId, reply);
          } catch (again) {
            return outcomeOf(again);
          }
        }
        return outcomeOf(error);
      }
    },
  };
}

function platformError(error: unknown): string | undefined {
  const e = error as WebAPICallError;
  return e?.code === ErrorCode.PlatformError ? String(e.data.error) : undefined;
}

function outcomeOf(error: unknown): PostOutcome {
  const e = error as WebAPICallError;
  if (e?.code === ErrorCode.RateLimitedError)
    return { ok: false, retry: "rate limited", retryAfterMs: e.retryAfter * 1000 };
  const code = platformError(error);
  // A join refused (private channel, missing scope) leaves the original reason standing.
  if (code === "method_not_supported_for_channel_type" || code === "missing_scope")
    return { ok: false, pause: CLOSED.not_in_channel as string };
  if (code && CLOSED[code]) return { ok: false, pause: CLOSED[code] };
  return { ok: false, retry: code ? `Slack: ${code}` : String(error) };
}
