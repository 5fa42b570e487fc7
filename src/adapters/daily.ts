import type { Config } from "../config.js";
import type { DailyPoster } from "../daily/scheduler.js";
import type { Logger } from "../log.js";

/**
 * The posters for the platforms this instance runs, from its config: Discord needs the bot token
 * (in HTTP mode too: channel messages are REST calls), Slack its bot token.
 */
export async function dailyPosters(
  config: Config,
  log: Logger,
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
    posters.push(slackPoster({ botToken: config.slack.botToken, apiUrl: config.slack.apiUrl }));
  }
  return {
    posters,
    close: () => {
      for (const c of closers) c();
    },
  };
}
