import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { BUTTON_LABELS, COMMANDS, fullName, type Reply, runCommand } from "../../../commands/index.js";
import { actionResponses, answerText, INTERNAL_ERROR } from "../../../src/adapters/slack/register.js";
import { actionIdOf, renderReply, type SlackMessage } from "../../../src/adapters/slack/render.js";
import { clipMrkdwn, escapeMrkdwn, mrkdwnLink, slackToPlain } from "../../../src/adapters/slack/text.js";
import type { QuoteEngine } from "../../../src/core/engine.js";
import { realEngine } from "../../helpers.js";
import { blockKitProblems, captureLog, USER } from "./harness.js";

let engine: QuoteEngine;
beforeAll(() => {
  engine = realEngine();
});

const ada = { id: USER, name: "ada" };
const quoteFor = async (query: string) => {
  const reply = await runCommand("quote", { query }, { engine });
  if (reply.kind !== "quote") throw new Error(`no quote for ${query}`);
  return reply;
};
const allText = (m: SlackMessage) => JSON.stringify(m);

describe("Slack text", () => {
  it.each([
    ["a & b", "a &amp; b"],
    ["<!channel>", "&lt;!channel&gt;"],
    ["<@U123>", "&lt;@U123&gt;"],
    ["<https://evil.example|click>", "&lt;https://evil.example|click&gt;"],
    ["already &amp; escaped", "already &amp;amp; escaped"],
    ["*bold* and `code` stay", "*bold* and `code` stay"],
  ])("escapes %j as %j", (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it.each([
    ["<@U0BOT> what about agents?", "what about agents?"],
    ["<@U0BOT|karpathy> agents", "agents"],
    ["&lt;!channel&gt; agents", "<!channel> agents"],
    ["<!channel> agents", "agents"],
    ["<!subteam^S123|@team> agents", "agents"],
    ["AT&amp;T and RL", "AT&T and RL"],
    ["see <https://example.com|the talk>", "see the talk"],
    ["see <https://example.com>", "see https://example.com"],
    ["in <#C123|general>", "in #general"],
    ["  spaced\n\tout  ", "spaced out"],
  ])("reads Slack's %j as the plain text %j", (input, expected) => {
    expect(slackToPlain(input)).toBe(expected);
  });

  it.each([
    ["an entity", `${"x".repeat(8)}&amp;tail`, 11],
    ["a surrogate pair", `${"x".repeat(9)}😀tail`, 11],
    ["a link", `${"x".repeat(5)}<https://example.com|label>`, 20],
  ])("clips without cutting %s in half", (_what, text, max) => {
    const clipped = clipMrkdwn(text, max);
    expect(clipped.length).toBeLessThanOrEqual(max);
    expect(clipped).toMatch(/^x+…$/u);
  });

  it("links only http(s) URLs and keeps the markup closed", () => {
    expect(mrkdwnLink("javascript:alert(1)", "x")).toBe("x");
    expect(mrkdwnLink("not a url", "<!here>")).toBe("&lt;!here&gt;");
    expect(mrkdwnLink("https://www.youtube.com/watch?v=a&t=5s", "at 0:05")).toBe(
      "<https://www.youtube.com/watch?v=a&amp;t=5s|at 0:05>",
    );
    expect(mrkdwnLink("https://x.example/a|b>c", "l")).toBe("<https://x.example/a%7Cb%3Ec|l>");
  });
});

describe("renderReply", () => {
  it("renders a preview with the quote, the attribution, its source and the four buttons", async () => {
    const reply = await quoteFor("reinforcement learning");
    const m = renderReply(reply);
    expect(blockKitProblems(m)).toEqual([]);
    const text = allText(m);
    expect(text).toContain(escapeMrkdwn(reply.result.text).slice(0, 60));
    expect(text).toContain("— *Andrej Karpathy*");
    expect(text).toContain(escapeMrkdwn(reply.result.source.title));
    expect(text).toContain(`1 of ${reply.total}`);
    const actions = m.blocks.find((b) => b.type === "actions");
    expect(actions).toMatchObject({
      elements: (["send", "next", "context", "cancel"] as const).map((a) => ({
        action_id: actionIdOf(a),
        text: { text: BUTTON_LABELS[a] },
        value: reply.state,
      })),
    });
  });

  it("leaves Next out when there is nothing to page to", async () => {
    const m = renderReply({ ...(await quoteFor("reinforcement learning")), total: 1 });
    expect(allText(m)).not.toContain(actionIdOf("next"));
    expect(allText(m)).toContain(actionIdOf("send"));
  });

  it("credits the sharer by Slack user id, and never turns a name into a mention", async () => {
    const { result } = await quoteFor("reinforcement learning");
    expect(allText(renderReply({ kind: "shared", result, sharedBy: "ada" }, { sharerId: USER }))).toContain(
      `Shared by <@${USER}> with /karpathy`,
    );
    const hostile = renderReply({ kind: "shared", result, sharedBy: "<!channel>" }, { sharerId: "<!here>" });
    expect(allText(hostile)).toContain("Shared by &lt;!channel&gt;");
    expect(blockKitProblems(hostile)).toEqual([]);
  });

  it("renders help from the command declarations", async () => {
    const m = renderReply(await runCommand("help", {}, { engine, surface: "slack" }));
    expect(blockKitProblems(m)).toEqual([]);
    for (const c of COMMANDS) expect(allText(m)).toContain(`/karpathy ${fullName(c)}`);
    expect(allText(m)).toContain("&lt;query&gt;");
  });

  it.each<[string, () => Reply | Promise<Reply>]>([
    ["sources", () => runCommand("sources", {}, { engine })],
    ["context", () => runCommand("quote", { query: "agents" }, { engine })],
    ["empty", () => ({ kind: "empty", query: "<!channel> & <@U123>", suggestions: ["agents"] })],
    [
      "empty in one source, without suggestions",
      () => ({ kind: "empty", query: "<!here>", suggestions: [], source: "<@U1>" }),
    ],
    ["invalid", () => runCommand("quote", { query: "agents", source: "<nope>" }, { engine })],
    ["an internal error", () => INTERNAL_ERROR],
  ])("renders %s within the limits, escaped", async (_kind, make) => {
    const reply = await make();
    const m = renderReply(
      reply.kind === "quote"
        ? { kind: "context", result: reply.result, lines: engine.context(reply.result.id) }
        : reply,
    );
    expect(blockKitProblems(m)).toEqual([]);
  });

  it("keeps an oversized reply within 50 blocks and 3000 characters a section", async () => {
    const { result } = await quoteFor("agents");
    const long = "<!channel> & ".repeat(400);
    const m = renderReply({
      kind: "context",
      result: { ...result, text: long, speaker: long },
      lines: Array.from({ length: 300 }, (_, i) => ({ speaker: long, text: `${i} ${long}`, quote: i === 5 })),
    });
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(blockKitProblems(m)).toEqual([]);
  });

  it("maps each button's reply onto response_url calls", async () => {
    const preview = await quoteFor("agents");
    expect(actionResponses(preview, USER)).toMatchObject([{ replace_original: true }]);
    expect(actionResponses({ kind: "shared", result: preview.result }, USER)).toEqual([
      expect.objectContaining({ response_type: "in_channel", replace_original: false }),
      { delete_original: true },
    ]);
    expect(actionResponses({ kind: "dismiss" }, USER)).toEqual([{ delete_original: true }]);
    expect(actionResponses(INTERNAL_ERROR, USER)).toMatchObject([
      { response_type: "ephemeral", replace_original: false },
    ]);
  });
});

describe("answerText", () => {
  it("turns an internal error into a short message and logs the details", async () => {
    const { log, lines } = captureLog();
    const broken = Object.create(engine) as QuoteEngine;
    broken.search = () => {
      throw new Error("index exploded");
    };
    expect(await answerText(broken, "agents", ada, log)).toEqual(INTERNAL_ERROR);
    expect(lines).toContainEqual(
      expect.objectContaining({ err: expect.objectContaining({ message: "index exploded" }) }),
    );
  });

  const hostile = fc.constantFrom(
    "<!channel>",
    "<!here>",
    "&lt;!everyone&gt;",
    "<@U123>",
    "<@U123|bob>",
    "<#C1|general>",
    "<https://evil.example|click me>",
    "&",
    "&amp;",
    ">",
    "source:",
    "source:dwarkesh",
    "source:<nope>",
    "quote",
    "random",
    "help",
    "sources",
    "next",
    "🚀👩‍💻",
    "\u202Eגבה שלום\u202C",
    "\u0000",
    "*_~`",
  );
  const text = fc
    .array(fc.oneof(hostile, fc.string({ unit: "grapheme", maxLength: 40 }), fc.string({ maxLength: 12 })), {
      maxLength: 8,
    })
    .map((parts) => parts.join(" "));

  it("never throws on arbitrary command text and always yields valid, limited, escaped Block Kit", async () => {
    const { log } = captureLog();
    await fc.assert(
      fc.asyncProperty(text, async (raw) => {
        const reply = await answerText(engine, raw, ada, log);
        const m = renderReply(reply);
        expect(blockKitProblems(m)).toEqual([]);
        expect(allText(m)).not.toMatch(/<!|<@U123|<#C1|<https:\/\/evil/u);
        if (reply.kind === "quote")
          for (const r of actionResponses({ kind: "shared", result: reply.result }, USER))
            if ("blocks" in r) expect(blockKitProblems(r)).toEqual([]);
      }),
      { seed: 20_241_122, numRuns: 300 },
    );
  });

  it("answers 10,000 characters of text with a short message", async () => {
    const { log } = captureLog();
    const reply = await answerText(engine, "agents ".repeat(1500), ada, log);
    expect(reply.kind).toBe("invalid");
    expect(blockKitProblems(renderReply(reply))).toEqual([]);
  });
});

describe("a corrected query", () => {
  it("says how the query was read, escaped, and only when a word was corrected", async () => {
    const fixed = renderReply(await quoteFor("telsa <!channel> lidar"));
    expect(allText(fixed)).toContain("showing results for “tesla channel lidar”");
    expect(allText(renderReply(await quoteFor("tesla lidar")))).not.toContain("showing results for");
    expect(blockKitProblems(fixed)).toEqual([]);
  });
});
