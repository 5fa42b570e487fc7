import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  COMMANDS,
  type CommandDeclaration,
  fullName,
  isOn,
  parseCommandText,
  refusal,
  runCommand,
  usageOf,
} from "../../commands/index.js";
import { integer, time, timeZone } from "../../commands/options.js";
import { declare } from "../../commands/types.js";
import { commandsBody } from "../../src/adapters/discord/commands.js";
import { permissionsOf, readOptions } from "../../src/adapters/discord/handler.js";
import type { QuoteEngine } from "../../src/core/engine.js";
import { realEngine } from "../helpers.js";

let engine: QuoteEngine;
beforeAll(() => {
  engine = realEngine();
});

/** Text in, reply out, as Slack and the console run it. */
async function typed(text: string) {
  const parsed = parseCommandText(text, "slack");
  if (!parsed.ok) return { kind: "invalid" as const, message: parsed.message };
  return runCommand(parsed.command, parsed.options, { engine, surface: "slack" });
}

describe("strict parsing, end to end", () => {
  it.each([
    ["/karpathy sources extra", /^sources takes no words, but got "extra"/u],
    ["/karpathy random year:2024", /^random takes no option "year" \(it takes source:<id>\)\.$/u],
    ["/karpathy quote agents limit:3", /^quote takes no option "limit"/u],
    ["/karpathy help topic:x", /^help takes no option "topic" \(it takes no options\)\.$/u],
  ])("%s gets a one-line error naming what is wrong", async (text, message) => {
    const reply = await typed(text);
    expect(reply.kind).toBe("invalid");
    if (reply.kind === "invalid") {
      expect(reply.message).toMatch(message);
      expect(reply.message).not.toContain("\n");
    }
  });

  it.each(["source:DWARKESH", "random source:Dwarkesh", "quote agents source:DwArKeSh"])(
    "reads source ids in any case: %s",
    async (text) => {
      const reply = await typed(text);
      expect(reply.kind).toBe("quote");
      if (reply.kind === "quote") expect(reply.result.source.id).toBe("dwarkesh");
    },
  );
});

/** A group of the shape the daily commands use (times, zones, integers, a permission), under another name. */
const group = { name: "trial", description: "A quote every day in this channel" };
const dailyOn = declare({
  name: "on",
  group,
  description: "Post a quote here every day",
  permissions: ["manageChannel"],
  options: {
    time: time({ description: "When, HH:MM", required: true }),
    zone: timeZone({ description: "Time zone, e.g. Europe/Berlin" }),
    count: integer({ description: "Quotes each day", min: 1, max: 3 }),
  },
  execute: () => ({ kind: "document", title: "on" }),
});
const dailyOff = declare({
  name: "off",
  group,
  description: "Stop",
  permissions: ["manageChannel"],
  options: {},
  execute: () => ({ kind: "document", title: "off" }),
});

describe("declarations the next commands need", () => {
  it("become a Discord subcommand group with string, integer and autocompleted options", () => {
    const [root] = commandsBody(engine.sources(), [...COMMANDS, dailyOn, dailyOff]);
    const daily = root && "options" in root ? root.options?.find((o) => o.name === "trial") : undefined;
    expect(daily).toMatchObject({
      type: 2,
      options: [
        {
          type: 1,
          name: "on",
          options: [
            { name: "time", type: 3, required: true },
            { name: "zone", type: 3, autocomplete: true },
            { name: "count", type: 4, min_value: 1, max_value: 3 },
          ],
        },
        { type: 1, name: "off" },
      ],
    });
  });

  it("read a Discord group payload as the command `daily on`", () => {
    const { subcommand, options } = readOptions([
      {
        name: "daily",
        type: 2,
        options: [{ name: "on", type: 1, options: [{ name: "time", type: 3, value: "9:05" }] }],
      },
    ]);
    expect(subcommand).toBe("daily on");
    expect(options).toEqual({ time: "9:05" });
  });

  it.each([
    ["time", "9:05", "09:05"],
    ["time", "24:00", /HH:MM/u],
    ["zone", "europe/berlin", "Europe/Berlin"],
    ["zone", "Mars/Olympus", /Unknown time zone "Mars\/Olympus"/u],
    ["count", "2", 2],
    ["count", 3, 3],
    ["count", "7", /must be at most 3/u],
  ] as const)("parse %s %j", (key, raw, expected) => {
    const schema = dailyOn.options[key]?.schema;
    const parsed = schema?.safeParse(raw);
    if (expected instanceof RegExp) expect(parsed?.error?.issues[0]?.message).toMatch(expected);
    else expect(parsed?.data).toEqual(expected);
  });

  it("refuse a member without Manage Channel, and allow one with it, an administrator, or no platform check", () => {
    const ctx = (bits?: string) => ({ engine, permissions: permissionsOf(bits) });
    expect(refusal(dailyOn, ctx("0"))).toMatchObject({
      message: "You need the Manage Channel permission here to do that.",
    });
    expect(refusal(dailyOn, ctx(String(1 << 4)))).toBeUndefined();
    expect(refusal(dailyOn, ctx(String(1 << 3)))).toBeUndefined();
    expect(refusal(dailyOn, ctx(undefined))).toBeUndefined();
  });

  it("show their usage with the group's name and each placeholder", () => {
    expect(usageOf(dailyOn as CommandDeclaration, "slack")).toBe(
      "/karpathy trial on time:<HH:MM> [zone:<zone>] [count:<n>]",
    );
    expect(usageOf(dailyOn as CommandDeclaration, "cli")).toBe(
      "karpathy trial on [--zone <zone>] [--count <n>] --time <HH:MM>",
    );
    expect(fullName(dailyOff)).toBe("trial off");
  });
});

describe("README", () => {
  it("has one row in its command table per declared chat command, in help's order", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const rows = [...readme.matchAll(/^\| `(\/karpathy[^`]*)` +\|/gmu)].map((m) => m[1]);
    expect(rows).toEqual(COMMANDS.filter((c) => isOn(c, "discord")).map((c) => usageOf(c, "discord")));
  });
});
