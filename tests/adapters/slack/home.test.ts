/**
 * The App Home and the Messages tab in single-token mode, through the real HTTPReceiver on
 * 127.0.0.1: the app reaches the Web API stand-in only through `apiUrl` (SLACK_API_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackAdapter, startSlack } from "../../../src/adapters/slack/main.js";
import { realEngine } from "../../helpers.js";
import {
  BOT_TOKEN,
  BOT_USER,
  blockKitProblems,
  captureLog,
  eventCallback,
  eventually,
  fakeSlackApi,
  post,
  SIGNING_SECRET,
  USER,
} from "./harness.js";

let api: Awaited<ReturnType<typeof fakeSlackApi>>;
let slack: SlackAdapter;
let appUrl: string;

beforeAll(async () => {
  api = await fakeSlackApi();
  slack = await startSlack(
    realEngine(),
    {
      mode: "http",
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      apiUrl: `${api.url}/api/`,
      host: "127.0.0.1",
      port: 0,
    },
    captureLog().log,
  );
  appUrl = `http://127.0.0.1:${slack.port}`;
});

afterAll(async () => {
  await slack?.stop();
  await api?.close();
});

const tokenOf = (method: string) =>
  api.requests.filter((r) => r.path === `/api/${method}`).map((r) => r.headers.authorization);
const settle = () => new Promise((r) => setTimeout(r, 150));

let ts = 0;
/** A DM from `user` (default: a person) in the bot's Messages tab. */
function dm(text: string, extra: Record<string, unknown> = {}) {
  ts += 1;
  return eventCallback({
    type: "message",
    channel_type: "im",
    channel: `D0DM${ts}`,
    user: USER,
    text,
    ts: `1700000100.00000${ts}`,
    ...extra,
  });
}
const repliesIn = (channel: string) => api.calls("chat.postMessage").filter((c) => c.channel === channel);

describe("the App Home", () => {
  it("publishes a how-to to the user who opens the Home tab, with the bot token", async () => {
    const opened = eventCallback({ type: "app_home_opened", user: USER, channel: "D0HOME", tab: "home" });
    expect((await post(appUrl, opened)).status).toBe(200);
    const published = await eventually(() => api.calls("views.publish")[0]);
    expect(published.user_id).toBe(USER);
    const view = JSON.parse(String(published.view)) as { type: string; blocks: unknown[] };
    expect(view.type).toBe("home");
    expect(
      blockKitProblems({
        text: "home",
        blocks: view.blocks.filter((b) => (b as { type: string }).type !== "divider"),
      }),
    ).toEqual([]);
    expect(JSON.stringify(view)).toContain("/karpathy quote agents");
    expect(tokenOf("views.publish")).toEqual([`Bearer ${BOT_TOKEN}`]);
  });

  it("publishes nothing when the Messages tab is opened (that tab shows the DM itself)", async () => {
    const before = api.calls("views.publish").length;
    const opened = eventCallback({ type: "app_home_opened", user: USER, channel: "D0HOME", tab: "messages" });
    expect((await post(appUrl, opened)).status).toBe(200);
    await settle();
    expect(api.calls("views.publish")).toHaveLength(before);
  });
});

describe("the Messages tab", () => {
  it("answers a direct message like a mention: the best quote, posted in the DM", async () => {
    const request = dm("what should kids study?");
    const channel = JSON.parse(request.body).event.channel;
    expect((await post(appUrl, request)).status).toBe(200);
    const reply = await eventually(() => repliesIn(channel)[0]);
    expect(blockKitProblems(reply)).toEqual([]);
    expect(JSON.stringify(reply.blocks)).toContain("Karpathy");
    expect(reply.thread_ts).toBeUndefined();
    expect(tokenOf("chat.postMessage").at(-1)).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it("answers help in the DM too, and keeps a reply in the thread the user wrote in", async () => {
    const request = dm("help", { thread_ts: "1700000000.000001" });
    const channel = JSON.parse(request.body).event.channel;
    await post(appUrl, request);
    const reply = await eventually(() => repliesIn(channel)[0]);
    expect(reply.thread_ts).toBe("1700000000.000001");
    expect(JSON.stringify(reply.blocks)).toContain("/karpathy quote");
  });

  it.each([
    ["the bot's own message", { user: BOT_USER }],
    ["another bot's message", { bot_id: "B0OTHER" }],
    ["an edit", { subtype: "message_changed" }],
  ])("leaves %s alone", async (_what, extra) => {
    const request = dm("agents", extra);
    const channel = JSON.parse(request.body).event.channel;
    expect((await post(appUrl, request)).status).toBe(200);
    await settle();
    expect(repliesIn(channel)).toEqual([]);
  });

  it("does not answer channel messages (only mentions there)", async () => {
    const request = eventCallback({
      type: "message",
      channel_type: "channel",
      channel: "C0NOISE",
      user: USER,
      text: "agents",
      ts: "1700000200.000001",
    });
    await post(appUrl, request);
    await settle();
    expect(repliesIn("C0NOISE")).toEqual([]);
  });
});
