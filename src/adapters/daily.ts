import type { Config } from "../config.js";
import type { DailyPoster } from "../daily/scheduler.js";
import type { Logger } from "../log.js";
import type { Queryable } from "../store/index.js";

/**
 * The posters for the platforms this instance runs, from its config: Discord needs the bot token
 * (in HTTP mode too: channel messages are REST calls), Slack its bot token or, for many workspaces,
 * each one's stored installation.
 */
export async function dailyPosters(
  config: Config,
  log: Logger,
  store: Queryable,
): Promise<{ posters: DailyPoster[]; close(): void }> {
  const posters: DailyPoster[] = [];
  const closers: Array<() => void> = [];
  if (config.discord?.token) {
    const { discordPoster } = await import("./discord/daily.js");
    const poster = discordPoster({ token: config.discord.token, apiUrl: config.discord.apiUrl });
    posters.push(poster);
    closers.push(poster.close);
  } else if (config.discord)
    log.warn("daily: Discord quotes of the day need DISCORD_TOKEN (HTTP mode too); none will be posted");
  if (config.slack) {
    const { slackPoster } = await import("./slack/daily.js");
    // OAuth: each workspace's quote goes out with the bot token its installation stored.
    const { botTokenOf } = await import("./slack/installations.js");
    const tokenFor = config.slack.oauth ? (teamId: string) => botTokenOf(store, teamId) : undefined;
    posters.push(slackPoster({ botToken: config.slack.botToken, tokenFor, apiUrl: config.slack.apiUrl }));
  }
  return {
    posters,
    close: () => {
      for (const c of closers) c();
    },
  };
}
