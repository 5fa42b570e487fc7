import type { types } from "@slack/bolt";
import { parseCommandText, ROOT_COMMAND, runCommand } from "../../../commands/index.js";
import type { QuoteEngine } from "../../core/engine.js";
import { renderReply } from "./render.js";

/** The Home tab holds at most 100 blocks; the help reply is far below that. */
const HOME_BLOCKS = 100;

/**
 * The App Home: how to ask (the slash command anywhere, a mention in a channel, or a message right
 * here in the Messages tab), then the commands and tips of `/karpathy help`, from their declarations.
 */
export async function homeView(engine: QuoteEngine, userId: string): Promise<types.HomeView> {
  const parsed = parseCommandText("help", "slack");
  const help = parsed.ok
    ? renderReply(
        await runCommand(parsed.command, parsed.options, {
          engine,
          user: { id: userId, name: userId },
          surface: "slack",
        }),
      ).blocks
    : [];
  const intro: types.SectionBlock = {
    type: "section",
    text: {
      type: "mrkdwn",
      text: [
        "*Ask Andrej Karpathy's own words*",
        `•  Type \`/${ROOT_COMMAND} quote agents\` in any channel: you see a preview, *Send* posts it.`,
        "•  Mention me in a channel with a question: I answer in the thread.",
        "•  Or write to me in the *Messages* tab: a few words or a question, e.g. _what should kids study?_",
      ].join("\n"),
      verbatim: true,
    },
  };
  return { type: "home", blocks: [intro, { type: "divider" }, ...help].slice(0, HOME_BLOCKS) };
}
