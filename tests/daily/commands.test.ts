/**
 * The `daily` declarations through the registry, as every surface runs them: text parsing of
 * `daily on <HH:MM> <zone> [source:<id>] [topic:<words>]`, permissions, and what is refused up front.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CommandContext, parseCommandText, runCommand } from "../../commands/index.js";
import { timeZones } from "../../commands/options.js";
import { dailyService } from "../../src/daily/service.js";
import { openStore, type Store } from "../../src/store/index.js";
import { engine } from "../adapters/discord/fixtures.js";
import { DATABASES, type Fresh } from "../store/databases.js";

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);

describe("daily on, typed as text", () => {
  it("reads any HH:MM and IANA zone as time and timezone, with a topic of several words", () => {
    fc.assert(
      fc.property(hhmm, fc.constantFrom(...timeZones().list), fc.boolean(), (time, zone, withTopic) => {
        const text = `/karpathy daily on ${time} ${zone} source:dwarkesh${withTopic ? " topic:reinforcement learning" : ""}`;
        expect(parseCommandText(text, "slack")).toEqual({
          ok: true,
          command: "daily on",
          options: {
            time,
            timezone: zone,
            source: "dwarkesh",
            ...(withTopic ? { topic: "reinforcement learning" } : {}),
          },
        });
      }),
    );
  });

  it("never throws on any text after `daily`, and answers a mistake in one line", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), async (tail) => {
        const parsed = parseCommandText(`daily on ${tail}`, "slack");
        if (!parsed.ok) return expect(parsed.message).not.toContain("\n");
        const reply = await runCommand(parsed.command, parsed.options, { engine, surface: "slack" });
        if (reply.kind === "invalid") expect(reply.message).not.toContain("\n");
      }),
      { numRuns: 200 },
    );
  });

  it("is the status with no subcommand: `/karpathy daily`", () => {
    expect(parseCommandText("/karpathy daily", "slack")).toEqual({
      ok: true,
      command: "daily status",
      options: {},
    });
  });
});

describe.each(DATABASES.slice(0, 1))("the daily commands on the $name", ({ fresh }) => {
  let db: Fresh;
  let store: Store;
  const place = {
    platform: "discord" as const,
    workspaceId: "333333333333333333",
    channelId: "444444444444444444",
  };
  const context = (permissions?: Set<"manageChannel">): CommandContext => ({
    engine,
    surface: "discord",
    user: { id: "111111111111111111", name: "Alice" },
    place,
    daily: dailyService(store, engine),
    permissions,
  });
  beforeAll(async () => {
    db = await fresh();
    store = await openStore(db.options);
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  const on = { time: "09:30", timezone: "Europe/Berlin" };

  it("refuse a member who cannot manage the channel, and let everyone see the status", async () => {
    expect(await runCommand("daily on", on, context(new Set()))).toMatchObject({
      kind: "invalid",
      message: expect.stringMatching(/Manage Channel/u),
    });
    expect(await runCommand("daily status", {}, context(new Set()))).toMatchObject({
      message: expect.stringMatching(/No quote of the day/u),
    });
  });

  it("turn on with who set it, then show it to anyone", async () => {
    const reply = await runCommand(
      "daily on",
      { ...on, topic: "agents" },
      context(new Set(["manageChannel"])),
    );
    expect(reply).toMatchObject({ kind: "document", title: expect.stringMatching(/is on/u) });
    const status = JSON.stringify(await runCommand("daily status", {}, context(new Set())));
    expect(status).toMatch(/09:30 Europe\/Berlin/u);
    expect(status).toMatch(/matches for “agents”/u);
    expect(status).toMatch(/Alice \(111111111111111111\)/u);
    expect(status).toMatch(/Next post/u);
  });

  it.each([
    [{ topic: "best pizza in naples" }, /Nothing in the corpus matches the topic/u],
    [{ source: "nosuchsource" }, /nosuchsource/u],
    [{ time: "25:00" }, /HH:MM/u],
    [{ timezone: "Mars/Olympus" }, /Unknown time zone/u],
  ])("refuse %j up front", async (change, message) => {
    const reply = await runCommand("daily on", { ...on, ...change }, context());
    expect(reply).toMatchObject({ kind: "invalid", message: expect.stringMatching(message) });
  });

  it("say where it works when there is no channel to post in (a DM, a user install elsewhere)", async () => {
    expect(await runCommand("daily on", on, { ...context(), place: undefined })).toMatchObject({
      message: expect.stringMatching(/server or workspace channel/u),
    });
  });
});
