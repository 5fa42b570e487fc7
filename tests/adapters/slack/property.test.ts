/**
 * Property tests (fast-check, fixed seed, bounded runs) through the whole Slack path: signed requests
 * into the real HTTPReceiver on 127.0.0.1, Bolt, the listeners, the renderer, and back (the ack body,
 * or the loopback response_url and Web API). Whatever the text, the button or the payload, the app
 * answers at once (no request left to Bolt's 3 s timeout), with valid, limited, escaped Block Kit, and
 * nothing can broadcast or mention anyone.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUTTON_ACTIONS } from "../../../commands/index.js";
import { ACTION_PREFIX } from "../../../src/adapters/slack/render.js";
import { realEngine } from "../../helpers.js";
import { hostileText, SEED, SLACK_MARKUP, sourceIds } from "../arbitraries.js";
import {
  blockKitProblems,
  buttonPress,
  captureLog,
  type Loopback,
  post,
  type SentMessage,
  type SlackRequest,
  slashCommand,
  startTestApp,
  type TestApp,
} from "./harness.js";

const engine = realEngine();
const logged = captureLog();
let hook: Loopback;
let app: TestApp | undefined;
let appUrl: string;

beforeAll(async () => {
  app = await startTestApp(engine, logged.log);
  ({ hook, url: appUrl } = app);
});

afterAll(async () => {
  await app?.close();
});

/** What must never reach Slack unescaped: broadcasts, the fuzzed mentions, channel links, links. */
const LIVE_MARKUP = /<!|<@U123|<#C1|<https:\/\/evil/u;

function assertSafe(m: SentMessage) {
  expect(blockKitProblems(m)).toEqual([]);
  expect(JSON.stringify(m)).not.toMatch(LIVE_MARKUP);
}

/** Signed and sent; must be answered within a second (Bolt's unacknowledged requests take 3 s). */
async function send(request: SlackRequest): Promise<Response> {
  const started = performance.now();
  const res = await post(appUrl, request);
  expect(performance.now() - started).toBeLessThan(1000);
  return res;
}

let hookId = 0;
const responseUrl = () => `${hook.url}/hooks/p${++hookId}`;
const postsTo = (url: string) =>
  hook.requests.filter((r) => url.endsWith(r.path)).map((r) => JSON.parse(r.body) as SentMessage);

const text = hostileText(SLACK_MARKUP);
const sources = sourceIds(engine.sources().map((s) => s.id));

describe("the slash command under arbitrary text", () => {
  it("acks every /karpathy text with valid, escaped, ephemeral Block Kit", async () => {
    const commandText = fc
      .tuple(
        fc.constantFrom("", "quote ", "random ", "sources ", "help ", "/karpathy ", "QUOTE "),
        text,
        fc.option(sources, { nil: undefined }),
      )
      .map(([prefix, t, s]) => (s === undefined ? `${prefix}${t}` : `${prefix}${t} source:${s}`));
    await fc.assert(
      fc.asyncProperty(commandText, text, async (t, userName) => {
        const request = slashCommand(t, responseUrl());
        request.body = request.body.replace(
          /user_name=[^&]*/u,
          new URLSearchParams({ user_name: userName }).toString(),
        );
        const res = await send(request);
        expect(res.status).toBe(200);
        const body = (await res.json()) as SentMessage;
        expect(body.response_type).toBe("ephemeral");
        assertSafe(body);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});

describe("the preview buttons under arbitrary ids and values", () => {
  it("acks every press and answers through response_url with a valid message or a delete", async () => {
    const actionId = fc.oneof(
      fc.constantFrom(...BUTTON_ACTIONS.map((a) => `${ACTION_PREFIX}${a}`)),
      fc.string({ maxLength: 40 }).map((s) => `${ACTION_PREFIX}${s}`),
      fc.string({ minLength: 1, maxLength: 60, unit: "binary" }),
    );
    const value = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.string({ maxLength: 2000, unit: "binary" }),
      text,
    );
    await fc.assert(
      fc.asyncProperty(actionId, value, async (id, v) => {
        const url = responseUrl();
        expect((await send(buttonPress(id, v, url))).status).toBe(200);
        const deadline = Date.now() + 2000;
        while (postsTo(url).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        const posts = postsTo(url);
        expect(posts.length).toBeGreaterThan(0);
        for (const m of posts) if (!m.delete_original) assertSafe(m);
      }),
      { seed: SEED, numRuns: 50 },
    );
  });
});

describe("malformed payloads", () => {
  const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), text, fc.constantFrom(null, "", [], {}, 0));
  const form = (fields: Record<string, string>): SlackRequest => ({
    body: new URLSearchParams(fields).toString(),
    contentType: "application/x-www-form-urlencoded",
  });

  it("answers an arbitrary interaction payload with 200 or 400 at once", async () => {
    const payload = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            type: fc.oneof(fc.constant("block_actions"), anyValue),
            user: fc.oneof(
              anyValue,
              fc.record({ id: anyValue, username: anyValue, name: anyValue }, { requiredKeys: [] }),
            ),
            actions: fc.oneof(
              anyValue,
              fc.array(
                fc.record(
                  {
                    type: fc.oneof(fc.constant("button"), anyValue),
                    action_id: fc.oneof(fc.constant(`${ACTION_PREFIX}next`), anyValue),
                    value: anyValue,
                  },
                  { requiredKeys: [] },
                ),
                { maxLength: 3 },
              ),
            ),
            container: anyValue,
            channel: anyValue,
            team: anyValue,
          },
          { requiredKeys: [] },
        )
        // Only loopback (or no) response_url: a fuzzed URL must never make the test call the internet.
        .chain((p) => fc.constantFrom({ ...p }, { ...p, response_url: responseUrl() }))
        .map((p) => JSON.stringify(p)),
      fc.string({ maxLength: 50 }),
    );
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        expect([200, 400]).toContain((await send(form({ payload: p }))).status);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it("answers arbitrary form fields and event bodies with 200 or 400 at once", async () => {
    const body = fc.oneof(
      fc
        .dictionary(
          fc.constantFrom("command", "text", "user_id", "user_name", "payload", "ssl_check", "x"),
          fc.string({ maxLength: 30 }),
        )
        .map(form),
      fc
        .record(
          {
            type: fc.oneof(
              fc.constantFrom("event_callback", "url_verification", "app_rate_limited"),
              anyValue,
            ),
            challenge: anyValue,
            event: fc.oneof(
              anyValue,
              fc.record(
                {
                  type: fc.oneof(fc.constant("app_mention"), anyValue),
                  text: fc.oneof(text, anyValue),
                  user: fc.oneof(fc.constant("U0FUZZ"), anyValue),
                  bot_id: anyValue,
                  channel: fc.oneof(fc.constant("C0FUZZ"), anyValue),
                  ts: anyValue,
                  thread_ts: anyValue,
                },
                { requiredKeys: [] },
              ),
            ),
            authorizations: anyValue,
          },
          { requiredKeys: [] },
        )
        .map((b): SlackRequest => ({ body: JSON.stringify(b), contentType: "application/json" })),
    );
    await fc.assert(
      fc.asyncProperty(body, async (request) => {
        expect([200, 400]).toContain((await send(request)).status);
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it("never even failed inside: nothing was logged as an error", () => {
    expect(logged.lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });

  it("still answers a real command after all that", async () => {
    const res = await send(slashCommand("agents", responseUrl()));
    expect(JSON.stringify(await res.json())).toContain("Andrej Karpathy");
  });
});
