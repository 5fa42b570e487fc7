/**
 * Property tests (fast-check, fixed seed, bounded runs): whatever a user types as a query, or presses
 * as a button, and whatever payload reaches the HTTP endpoint, the adapter answers without throwing,
 * within Discord's limits, mentioning no one. The shared handler is driven directly (fast, many runs);
 * the whole HTTP path (signature, parsing, handler, response) with fewer runs.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decide, toInteractionResponse } from "../../../src/adapters/discord/handler.js";
import { type RunningHttpAdapter, startHttpInteractions } from "../../../src/adapters/discord/http.js";
import { DISCORD_LIMITS, messageProblems } from "../../../src/adapters/discord/limits.js";
import { DISCORD_MARKUP, hostileText, SEED, sourceIds } from "../arbitraries.js";
import {
  autocomplete,
  buttonPress,
  chatInput,
  engine,
  keyPair,
  MENTION,
  recordingLog,
  signed,
} from "./fixtures.js";

const { log, records } = recordingLog();
const context = { engine, log };
const settings = { seed: SEED, numRuns: 150 } as const;
const httpSettings = { seed: SEED, numRuns: 80 } as const;
const user = { id: "111111111111111111", name: "Alice" };

const query = hostileText(DISCORD_MARKUP);
const source = fc.option(sourceIds(engine.sources().map((s) => s.id)), { nil: undefined });

/** The checks every outgoing message passes: Discord's limits, and no mention of anyone. */
function assertSafe(data: unknown) {
  expect(messageProblems((data ?? {}) as never)).toEqual([]);
  expect(JSON.stringify(data ?? {})).not.toMatch(MENTION);
}

describe("the shared handler under arbitrary input", () => {
  it("answers every /karpathy subcommand and query within the limits and without a mention", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("quote", "random", "sources", "help", "nope", undefined),
        query,
        source,
        async (subcommand, q, s) => {
          const outcome = await decide(
            {
              type: "command",
              command: "karpathy",
              subcommand,
              options: s === undefined ? { query: q } : { query: q, source: s },
              user,
            },
            context,
          );
          const response = toInteractionResponse(outcome);
          expect(response.type).toBe(4);
          assertSafe("data" in response ? response.data : undefined);
        },
      ),
      settings,
    );
  });

  it("answers every autocomplete with at most 25 choices of 1–100 characters", async () => {
    await fc.assert(
      fc.asyncProperty(query, source, async (q, s) => {
        const outcome = await decide(
          {
            type: "autocomplete",
            command: "karpathy",
            focused: { name: "query", value: q },
            options: s === undefined ? { query: q } : { query: q, source: s },
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
          expect(`${c.name}${c.value}`).not.toMatch(MENTION);
        }
      }),
      settings,
    );
  });

  it("answers every button custom_id, however forged and whoever presses it, with a valid message", async () => {
    const customId = fc.oneof(
      fc
        .tuple(fc.constantFrom("send", "next", "context", "cancel", "x", ""), fc.string({ maxLength: 90 }))
        .map(([action, state]) => `kq:${action}:${state}`),
      fc.string({ maxLength: 120, unit: "binary" }),
      hostileText(DISCORD_MARKUP),
    );
    await fc.assert(
      fc.asyncProperty(customId, fc.constantFrom(user.id, "999", undefined), async (id, ownerId) => {
        const outcome = await decide({ type: "button", customId: id, user, ownerId }, context);
        const response = toInteractionResponse(outcome);
        assertSafe("data" in response ? response.data : undefined);
      }),
      settings,
    );
  });
});

describe("the HTTP endpoint under arbitrary payloads", () => {
  const keys = keyPair();
  let endpoint: RunningHttpAdapter;

  beforeAll(async () => {
    endpoint = await startHttpInteractions(
      engine,
      { mode: "http", publicKey: keys.publicKeyHex, host: "127.0.0.1", port: 0 },
      log,
    );
  });

  afterAll(async () => {
    await endpoint.stop();
  });

  /** POSTs a signed body; 200 answers must be valid messages or choices, anything else must be 400. */
  async function check(text: string) {
    const res = await fetch(endpoint.url, {
      method: "POST",
      body: text,
      headers: signed(keys.privateKey, text),
    });
    const body = await res.text();
    expect([200, 400]).toContain(res.status);
    if (res.status !== 200) return;
    const answer = JSON.parse(body) as { type: number; data?: { choices?: Array<{ name: string }> } };
    expect([1, 4, 7, 8]).toContain(answer.type);
    if (answer.type === 4 || answer.type === 7) assertSafe(answer.data);
    if (answer.type === 8) expect(answer.data?.choices?.length ?? 0).toBeLessThanOrEqual(25);
    expect(body).not.toMatch(MENTION);
  }

  /** Any JSON value where a field was: wrong types, nulls, nesting, hostile strings. */
  const anyValue = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    hostileText(DISCORD_MARKUP),
    fc.constantFrom(null, -1, 1e308, "", [], {}),
  );
  const option = fc.record(
    {
      name: fc.oneof(fc.constantFrom("query", "source", "quote", "random"), fc.string({ maxLength: 10 })),
      type: fc.oneof(fc.integer({ min: 1, max: 11 }), anyValue),
      value: anyValue,
      focused: fc.oneof(fc.boolean(), anyValue),
      options: fc.oneof(
        fc.constant(undefined),
        fc.array(fc.record({ name: fc.string(), type: fc.integer(), value: anyValue }), { maxLength: 3 }),
      ),
    },
    { requiredKeys: [] },
  );

  it("answers arbitrary JSON with 400 or a valid answer, never an error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), (value) => check(JSON.stringify(value))),
      httpSettings,
    );
  });

  it("answers interactions with broken, missing or mistyped fields with 400 or a valid answer", async () => {
    const base = fc.constantFrom(
      () => chatInput("quote", { query: "agents" }),
      () => autocomplete("quote", { query: "age" }),
      () => buttonPress("kq:next:zzzz|0|0.1"),
    );
    const mutation = fc.record(
      {
        type: fc.oneof(fc.integer({ min: 0, max: 7 }), anyValue),
        data: fc.oneof(
          anyValue,
          fc.record(
            {
              name: fc.oneof(fc.constant("karpathy"), anyValue),
              type: fc.oneof(fc.integer({ min: 1, max: 4 }), anyValue),
              options: fc.oneof(
                anyValue,
                fc.array(option, { maxLength: 4 }),
                fc.array(
                  fc.record({
                    type: fc.constant(1),
                    name: fc.string({ maxLength: 8 }),
                    options: fc.array(option, { maxLength: 4 }),
                  }),
                  { maxLength: 2 },
                ),
              ),
              custom_id: fc.oneof(hostileText(DISCORD_MARKUP), anyValue),
              component_type: fc.oneof(fc.integer({ min: 1, max: 8 }), anyValue),
            },
            { requiredKeys: [] },
          ),
        ),
        member: fc.oneof(
          anyValue,
          fc.record(
            {
              nick: anyValue,
              user: fc.oneof(
                anyValue,
                fc.record({ id: anyValue, username: anyValue, global_name: anyValue }, { requiredKeys: [] }),
              ),
            },
            { requiredKeys: [] },
          ),
        ),
        user: anyValue,
        message: fc.oneof(
          anyValue,
          fc.record({
            interaction_metadata: fc.oneof(anyValue, fc.record({ user: fc.record({ id: anyValue }) })),
          }),
        ),
        application_id: anyValue,
        token: anyValue,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(base, mutation, (make, fields) => check(JSON.stringify({ ...make(), ...fields }))),
      httpSettings,
    );
  });

  it("never even failed inside: nothing was logged as an error", () => {
    expect(records.filter((r) => Number(r.level) >= 50)).toEqual([]);
  });

  it("still answers a real command after all that", async () => {
    const text = JSON.stringify(chatInput("quote", { query: "agents" }));
    const res = await fetch(endpoint.url, {
      method: "POST",
      body: text,
      headers: signed(keys.privateKey, text),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Andrej Karpathy");
  });
});
