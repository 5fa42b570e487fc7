/**
 * The command path of each chat front end, in process: a platform's raw request body in, the reply
 * payload it would send out. Everything the adapters do per request except HTTP and signatures
 * (`npm run load` covers those), so the bench can time what a command costs end to end.
 */
import { pino } from "pino";
import {
  decide,
  incomingFromApi,
  rawInteractionSchema,
  toInteractionResponse,
} from "../adapters/discord/handler.js";
import { answerText } from "../adapters/slack/register.js";
import { renderReply } from "../adapters/slack/render.js";
import type { QuoteEngine } from "../core/engine.js";
import type { Logger } from "../log.js";

const log = pino({ level: "silent" }) as unknown as Logger;
const user = { id: "111111111111111111", username: "bench", global_name: "Bench" };

/** A `/karpathy quote query:<q>` chat-input interaction (type 2), or its autocomplete (type 4). */
function discordBody(query: string, type: 2 | 4): string {
  return JSON.stringify({
    type,
    id: "1",
    application_id: "2",
    token: "t",
    member: { user, nick: null },
    data: {
      name: "karpathy",
      type: 1,
      options: [
        {
          type: 1,
          name: "quote",
          options: [{ type: 3, name: "query", value: query, ...(type === 4 ? { focused: true } : {}) }],
        },
      ],
    },
  });
}

/** Slack's slash-command form body, as Bolt reads it. */
function slackBody(query: string): string {
  return new URLSearchParams({
    command: "/karpathy",
    text: `quote ${query}`,
    user_id: "U0BENCH",
    user_name: "bench",
    team_id: "T0BENCH",
    channel_id: "C0BENCH",
    response_url: "https://hooks.slack.com/commands/T0BENCH/1/x",
    trigger_id: "1.2.3",
  }).toString();
}

export type CommandPath = (query: string) => Promise<string>;

/** Raw Discord interaction → validated → decided → the interaction response's JSON. */
export function discordPath(engine: QuoteEngine, kind: "command" | "autocomplete"): CommandPath {
  return async (query) => {
    const raw = rawInteractionSchema.parse(JSON.parse(discordBody(query, kind === "command" ? 2 : 4)));
    return JSON.stringify(toInteractionResponse(await decide(incomingFromApi(raw), { engine, log })));
  };
}

/** Slack slash-command body → parsed → answered → the ack's JSON (the ephemeral preview). */
export function slackPath(engine: QuoteEngine): CommandPath {
  return async (query) => {
    const form = new URLSearchParams(slackBody(query));
    const reply = await answerText(
      engine,
      form.get("text") ?? "",
      { id: form.get("user_id") ?? "", name: form.get("user_name") ?? "" },
      log,
    );
    return JSON.stringify({ response_type: "ephemeral", ...renderReply(reply) });
  };
}
