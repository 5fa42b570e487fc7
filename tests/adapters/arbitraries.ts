/**
 * What users (and attackers) type, for the adapters' property tests: arbitrary unicode, control and
 * invisible characters, lone surrogates, whitespace only, 10,000-character strings, and each
 * platform's mentions and markup. Every property test runs with a fixed seed and a bounded number of
 * runs, so `npm test` stays fast and a failure replays exactly.
 */
import fc from "fast-check";

/** Fixed for reproducibility: a failure prints its path, and the same seed replays it. */
export const SEED = 20_251_122;

/** C0/C1 controls, bidi overrides, zero-width and line/paragraph separators, BOM, lone surrogates. */
export const CONTROL = [
  "\u0000",
  "\u0007",
  "\b",
  "\t",
  "\n",
  "\r",
  "\u000b",
  "\f",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u200b",
  "\u200d",
  "\u200e",
  "\u202e",
  "\u2028",
  "\u2029",
  "\ufeff",
  "\ud800",
  "\udfff",
] as const;

export const WHITESPACE = [" ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000"] as const;

/** Discord: everything that could ping or format. */
export const DISCORD_MARKUP = [
  "@everyone",
  "@here",
  "<@123456789012345678>",
  "<@!123456789012345678>",
  "<@&222222222222222222>",
  "<#444444444444444444>",
  "</karpathy quote:1>",
  "<t:1700000000:R>",
  "<:emoji:123456789012345678>",
  "**",
  "__",
  "~~",
  "||",
  "`",
  "```",
  "# ",
  "-# ",
  "> ",
  "[x](https://evil.example)",
] as const;

/** Slack: broadcasts, mentions, links and mrkdwn, raw and as Slack encodes what a user typed. */
export const SLACK_MARKUP = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "<!subteam^S0123>",
  "<@U123>",
  "<@U123|bob>",
  "<#C1|general>",
  "<https://evil.example|click me>",
  "&lt;!channel&gt;",
  "&amp;",
  "&",
  "*",
  "_",
  "~",
  "`",
  "```",
  ">",
] as const;

/** Words the corpus knows, so some inputs do find quotes. */
const WORDS = [
  "agents",
  "reinforcement learning",
  "education",
  "self-driving",
  "decade",
  "llm",
  "quote",
  "source:",
];

/** A string of `n` characters built from a short random seed: cheap even at 10,000. */
const long = (min: number, max: number) =>
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 12, unit: "grapheme" }), fc.integer({ min, max }))
    .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n));

/** Text mixing every kind of hostile input with the given platform's markup. */
export function hostileText(markup: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 300, unit: "grapheme" }),
    fc.string({ maxLength: 200, unit: "binary" }),
    fc.string({ maxLength: 60, unit: fc.constantFrom(...CONTROL, ...WHITESPACE, "a", "é", "🦄") }),
    fc.string({ maxLength: 20, unit: fc.constantFrom(...WHITESPACE) }),
    long(301, 10_000),
    fc
      .array(fc.oneof(fc.constantFrom(...markup, ...WORDS, ...CONTROL), fc.string({ maxLength: 8 })), {
        maxLength: 40,
      })
      .map((parts) => parts.join(" ")),
  );
}

/** Source ids as typed: real ones, wrong case, unknown, empty, hostile. */
export function sourceIds(real: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...real),
    fc.constantFrom(
      ...real.map((s) => s.toUpperCase()),
      "nope",
      "",
      "  ",
      "<@123>",
      "@everyone",
      "x".repeat(500),
    ),
    fc.string({ maxLength: 20 }),
  );
}
