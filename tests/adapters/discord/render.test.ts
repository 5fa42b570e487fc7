/**
 * Rendering neutral replies as Discord messages: every kind, real and oversized, stays within every
 * Discord limit (the 6000-character embed total included), never mentions anyone, and escapes markdown
 * in text it did not write.
 */
import { describe, expect, it } from "vitest";
import { type Reply, runCommand } from "../../../commands/index.js";
import { messageProblems } from "../../../src/adapters/discord/limits.js";
import {
  customIdFor,
  fitText,
  md,
  parseCustomId,
  renderReply,
  toApiMessage,
} from "../../../src/adapters/discord/render.js";
import type { QuoteResult, SourceInfo } from "../../../src/core/engine.js";
import { shorten } from "../../../src/core/text.js";
import { engine, MENTION } from "./fixtures.js";

const real = engine.search("agents")[0] as QuoteResult;
const long = (n: number, word = "lorem ") => word.repeat(Math.ceil(n / word.length)).slice(0, n);

/** A quote far beyond every limit: what a future corpus or a bug could produce. */
const huge: QuoteResult = {
  ...real,
  text: long(10_000, "**@everyone** <@123456789012345678> _x_ "),
  speaker: long(500),
  source: { ...real.source, title: long(1000), show: long(800), publisher: long(800) },
  timestamp: "01:02:03",
  alsoIn: Array.from({ length: 30 }, (_, i) => ({
    source: { ...real.source, title: long(300, `title ${i} `) },
    passageId: real.id,
    link: `https://example.com/${i}`,
  })),
  cut: { start: true, end: true },
};

const STATE = "3e3c|0|2.5,2.3,2.4,0.9,2.q";

const cases: Array<[string, Reply]> = [
  ["a real preview", { kind: "quote", result: real, position: 1, total: 5, state: STATE, query: "agents" }],
  ["an oversized preview", { kind: "quote", result: huge, position: 2, total: 5, state: STATE }],
  ["a real shared quote", { kind: "shared", result: real, sharedBy: "Alice" }],
  ["an oversized shared quote", { kind: "shared", result: huge, sharedBy: long(5000, "@here ") }],
  ["a real context", { kind: "context", result: real, lines: engine.context(real.id) }],
  [
    "an oversized context",
    {
      kind: "context",
      result: huge,
      lines: Array.from({ length: 60 }, (_, i) => ({
        speaker: long(200),
        text: long(3000),
        quote: i === 30,
      })),
    },
  ],
  ["the real sources", { kind: "sources", sources: engine.sources() }],
  [
    "40 oversized sources",
    {
      kind: "sources",
      sources: Array.from({ length: 40 }, (_, i) => ({ ...huge.source, id: long(300, `s${i}-`) })),
    },
  ],
  [
    "an oversized help",
    {
      kind: "help",
      title: long(1000),
      commands: Array.from({ length: 40 }, () => ({ usage: long(400), description: long(2000) })),
      tips: Array.from({ length: 40 }, () => long(500)),
    },
  ],
  [
    "an empty result for a hostile query",
    { kind: "empty", query: long(5000, "@everyone "), suggestions: ["agents"] },
  ],
  ["an invalid input", { kind: "invalid", message: long(5000, "<@&123> ") }],
  ["a dismissal", { kind: "dismiss" }],
];

describe("renderReply", () => {
  it.each(cases)("keeps %s within every Discord limit and mentions no one", (_name, reply) => {
    const data = toApiMessage(renderReply(reply));
    expect(messageProblems(data)).toEqual([]);
    expect(data.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.stringify(data)).not.toMatch(MENTION);
  });

  it("shows the verbatim quote, the speaker, the source, the moment's link and the position", () => {
    const embed = renderReply({ kind: "quote", result: real, position: 2, total: 5, state: STATE }).embeds[0];
    expect(embed?.description).toBe(`“${real.text}”\n— **Andrej Karpathy**`);
    expect(embed?.fields?.[0]?.value).toContain(`at ${real.timestamp}`);
    expect(embed?.fields?.[0]?.value).toContain(`(${real.link})`);
    expect(embed?.footer?.text).toBe("2 of 5");
  });

  it("lists the other transcripts that hold the quote under Also in", () => {
    const twin = {
      ...real,
      alsoIn: [
        { source: engine.sources()[1] as SourceInfo, passageId: "x:1", link: "https://example.com/a" },
      ],
    };
    const embed = renderReply({ kind: "quote", result: twin, position: 1, total: 1, state: STATE }).embeds[0];
    expect(embed?.fields?.find((f) => f.name === "Also in")?.value).toContain("(https://example.com/a)");
    expect(embed?.footer).toBeUndefined();
  });

  it("disables Next when there is nothing to page to", () => {
    const row = renderReply({ kind: "quote", result: real, position: 1, total: 1, state: STATE })
      .components[0];
    const next = row?.components.find((b) => "custom_id" in b && b.custom_id.startsWith("kq:next:"));
    expect(next?.disabled).toBe(true);
  });

  it("marks a preview ephemeral and a shared quote public", () => {
    const preview: Reply = { kind: "quote", result: real, position: 1, total: 5, state: STATE };
    expect(toApiMessage(renderReply(preview)).flags).toBe(64);
    expect(toApiMessage(renderReply({ kind: "shared", result: real })).flags).toBeUndefined();
  });

  it("escapes markdown in an echoed query so it shows as typed", () => {
    const { content } = renderReply({
      kind: "empty",
      query: "**x** _y_ [a](https://e.example)",
      suggestions: [],
    });
    expect(content).toBe(
      "Nothing found for “\\*\\*x\\*\\* \\_y\\_ \\[a](https://e.example)”. Try fewer or other words.",
    );
  });

  it("says which source a limited search found nothing in", () => {
    const { content } = renderReply({
      kind: "empty",
      query: "agents",
      suggestions: ["tesla"],
      source: "nopriors",
    });
    expect(content).toBe("Nothing found for “agents” in nopriors. Try fewer or other words, e.g. “tesla”.");
  });
});

describe("custom ids", () => {
  it("round-trips kq:<action>:<state>", () => {
    expect(parseCustomId(customIdFor("next", STATE))).toEqual({ action: "next", state: STATE });
    expect(parseCustomId("other:next:x")).toBeUndefined();
  });

  it("refuses to build one over Discord's 100 characters", () => {
    expect(() => customIdFor("context", "x".repeat(90))).toThrow(/at most 100/u);
  });
});

describe("fit and shorten", () => {
  it.each([
    ["plain words", "the decade of agents", 10],
    ["markdown that doubles when escaped", "*".repeat(500), 101],
    ["emoji, never split in half", "🦄".repeat(300), 55],
    ["mentions", "@everyone ".repeat(100), 64],
  ])("fits %s within the limit after escaping", (_name, text, max) => {
    const out = fitText(text, max);
    expect(out.length).toBeLessThanOrEqual(max);
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/u);
    expect(out).not.toMatch(/(^|[^\\])(\\\\)*\\$/u);
  });

  it("cuts at a word and marks the cut", () => {
    expect(shorten("the decade of agents", 12)).toBe("the decade…");
    expect(md("a_b")).toBe("a\\_b");
  });
});

describe("a corrected query", () => {
  it("says how the query was read above the preview, and only when a word was corrected", async () => {
    const preview = async (query: string) => {
      const reply = await runCommand("quote", { query }, { engine });
      if (reply.kind !== "quote") throw new Error(`no quote for ${query}`);
      return toApiMessage(renderReply(reply));
    };
    const fixed = await preview("telsa lidar");
    expect(fixed.content).toBe("Showing results for “tesla lidar”.");
    expect(messageProblems(fixed)).toEqual([]);
    expect((await preview("tesla lidar")).content).toBe("");
  });
});
