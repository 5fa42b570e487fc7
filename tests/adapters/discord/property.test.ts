/**
 * Property tests (fast-check, fixed seed, bounded runs): whatever a user types as a query, or presses
 * as a button, the shared handler answers without throwing, within Discord's limits, mentioning no one.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide, toInteractionResponse } from "../../../src/adapters/discord/handler.js";
import { DISCORD_LIMITS, messageProblems } from "../../../src/adapters/discord/limits.js";
import { engine, MENTION, silentLog } from "./fixtures.js";

const context = { engine, log: silentLog() };
const settings = { seed: 20_251_017, numRuns: 150 } as const;
const user = { id: "111111111111111111", name: "Alice" };

/** Free text mixed with what attackers and markdown lovers type. */
const query = fc.oneof(
  fc.string({ maxLength: 400, unit: "grapheme" }),
  fc
    .array(
      fc.constantFrom(
        "@everyone",
        "@here",
        "<@123456789012345678>",
        "<#1>",
        "**",
        "_",
        "`",
        "agents",
        "decade",
        " ",
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(" ")),
  fc.string({ maxLength: 5000 }),
);

describe("the shared handler under arbitrary input", () => {
  it("answers every /karpathy quote query within the limits and without a mention", () => {
    fc.assert(
      fc.property(
        query,
        fc.option(fc.constantFrom(...engine.sources().map((s) => s.id), "nope")),
        (q, source) => {
          const outcome = decide(
            {
              type: "command",
              command: "karpathy",
              subcommand: "quote",
              options: source ? { query: q, source } : { query: q },
              user,
            },
            context,
          );
          const response = toInteractionResponse(outcome);
          expect(response.type).toBe(4);
          const data = "data" in response ? response.data : undefined;
          expect(messageProblems(data as never)).toEqual([]);
          expect(JSON.stringify(data)).not.toMatch(MENTION);
        },
      ),
      settings,
    );
  });

  it("answers every autocomplete with at most 25 choices of 1–100 characters", () => {
    fc.assert(
      fc.property(query, (q) => {
        const outcome = decide(
          {
            type: "autocomplete",
            command: "karpathy",
            focused: { name: "query", value: q },
            options: { query: q },
          },
          context,
        );
        if (outcome.type !== "choices") throw new Error(`expected choices, got ${outcome.type}`);
        expect(outcome.choices.length).toBeLessThanOrEqual(DISCORD_LIMITS.choices);
        for (const c of outcome.choices) {
          expect(c.name.length).toBeGreaterThanOrEqual(1);
          expect(c.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.choiceName);
          expect(c.value.length).toBeGreaterThanOrEqual(1);
          expect(c.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.choiceValue);
        }
      }),
      settings,
    );
  });

  it("answers every button custom_id, however forged, with a valid message", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("send", "next", "context", "cancel", "x"),
        fc.string({ maxLength: 90 }),
        (action, state) => {
          const outcome = decide(
            { type: "button", customId: `kq:${action}:${state}`, user, ownerId: user.id },
            context,
          );
          const response = toInteractionResponse(outcome);
          const data = "data" in response ? response.data : undefined;
          expect(messageProblems(data as never)).toEqual([]);
        },
      ),
      settings,
    );
  });
});
