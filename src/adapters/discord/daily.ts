import { createHash } from "node:crypto";
import { DiscordAPIError, RateLimitError, REST } from "discord.js";
import { Routes } from "discord-api-types/v10";
import type { DailyPoster, PostOutcome } from "../../daily/scheduler.js";
import { renderReply, toApiMessage } from "./render.js";

/** Discord's JSON error codes that mean the channel will not take the post until someone acts. */
const CLOSED: Record<number, string> = {
  10003: "the channel no longer exists (Discord: Unknown Channel)",
  50001: "the bot cannot see the channel (Discord: Missing Access)",
  50013: "the bot may not post in the channel (Discord: Missing Permissions)",
};

/** Rate-limit waits up to this long are waited out in the client; longer ones are deferred. */
const INLINE_WAIT_MS = 1000;

export interface DiscordPosterOptions {
  /** The bot token (`DISCORD_TOKEN`): channel messages need it in HTTP mode too. */
  token: string;
  /** `DISCORD_API_URL`; default discord.js's. */
  apiUrl?: string | undefined;
  /** One request's time limit. Default 10 s. */
  timeoutMs?: number;
}

/**
 * Posts a quote of the day with `POST /channels/{id}/messages`. A rate limit longer than a second is
 * not waited out here: its Retry-After goes back to the scheduler, which holds the post in the
 * database for every instance.
 * The nonce, with `enforce_nonce`, makes Discord drop a second send of the same post within minutes
 * (a timeout whose message did arrive).
 */
export function discordPoster({ token, apiUrl, timeoutMs = 10_000 }: DiscordPosterOptions): DailyPoster & {
  close(): void;
} {
  const rest = new REST({
    version: "10",
    timeout: timeoutMs,
    retries: 1,
    // discord.js paces requests to the global 50/s itself (waits well under a second): those are
    // waited out here. A longer wait (a real 429's Retry-After) goes back to the scheduler.
    rejectOnRateLimit: (limit) => limit.retryAfter > INLINE_WAIT_MS,
    ...(apiUrl ? { api: apiUrl } : {}),
  }).setToken(token);
  return {
    platform: "discord",
    async post(channel, reply, nonce): Promise<PostOutcome> {
      const body = toApiMessage(renderReply(reply));
      try {
        const message = (await rest.post(Routes.channelMessages(channel.channelId), {
          body: { ...body, nonce: shortNonce(nonce), enforce_nonce: true },
        })) as { id: string };
        return { ok: true, messageId: message.id };
      } catch (error) {
        if (error instanceof RateLimitError)
          return { ok: false, retry: "rate limited", retryAfterMs: error.retryAfter };
        if (error instanceof DiscordAPIError) {
          const known = typeof error.code === "number" ? CLOSED[error.code] : undefined;
          if (known) return { ok: false, pause: known };
          if (error.status === 403 || error.status === 404)
            return { ok: false, pause: `Discord refused the post (${error.status}: ${error.message})` };
          return { ok: false, retry: `Discord ${error.status}: ${error.message}` };
        }
        return { ok: false, retry: String(error) };
      }
    },
    close() {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
  };
}

/** Discord nonces are at most 25 characters. */
function shortNonce(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 25);
}
