import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COMMANDS, fullName, parseCommandText, usageOf } from "../../commands/index.js";

describe("parseCommandText", () => {
  it.each([
    // Words with no command before them are a quote search: `quote` is the default.
    ["decade of agents", { command: "quote", options: { query: "decade of agents" } }],
    ["/karpathy decade of agents", { command: "quote", options: { query: "decade of agents" } }],
    ["quote agents source:dwarkesh", { command: "quote", options: { query: "agents", source: "dwarkesh" } }],
    // `=` works like `:`, and the option's name in any case.
    ["random SOURCE=nopriors", { command: "random", options: { source: "nopriors" } }],
    // Source values pass as typed; the declaration lower-cases them (case-insensitive ids).
    ["random source:DWARKESH", { command: "random", options: { source: "DWARKESH" } }],
    // Options alone ask for a random quote; nothing at all asks for help.
    ["source:dwarkesh", { command: "random", options: { source: "dwarkesh" } }],
    ["", { command: "help", options: {} }],
    ["/karpathy", { command: "help", options: {} }],
    // A command name in another case is still the command.
    ["SOURCES", { command: "sources", options: {} }],
    // A URL is a word, not an option named "https".
    ["quote https://example.com", { command: "quote", options: { query: "https://example.com" } }],
    // An undeclared option is passed on, so runCommand can refuse it by name.
    ["random year:2024", { command: "random", options: { year: "2024" } }],
    // A word ending in a colon is a word, not an empty option: a search, or a command's words.
    ["quote note:", { command: "quote", options: { query: "note:" } }],
    ["foo:", { command: "quote", options: { query: "foo:" } }],
    ["the answer is: agents", { command: "quote", options: { query: "the answer is: agents" } }],
    ["quote agents source:", { command: "quote", options: { query: "agents source:" } }],
  ])("reads %j", (text, expected) => {
    expect(parseCommandText(text)).toEqual({ ok: true, ...expected });
  });

  it.each([
    ["sources extra", /^sources takes no words, but got "extra"/u],
    ["help me please", /^help takes no words/u],
    ["random foo", /^random takes no words, but got "foo"\. To search for them: \/karpathy quote foo/u],
    ["quote agents source:a source:b", /^source is given twice/u],
    ["quote agents query:again", /^query is given twice/u],
  ])("refuses %j with one line saying what was expected", (text, message) => {
    const parsed = parseCommandText(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toMatch(message);
      expect(parsed.message).not.toContain("\n");
    }
  });

  it("never throws, and text that starts with no command name is always a quote search", () => {
    const names = new Set(COMMANDS.map((c) => (c.group?.name ?? c.name).toLowerCase()));
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const parsed = parseCommandText(text);
        const first = text.trim().split(/\s+/u)[0]?.toLowerCase() ?? "";
        const plainWords = text.trim() && !/[:=]/u.test(text) && !/^\/?karpathy\b/iu.test(text.trim());
        if (plainWords && !names.has(first)) expect(parsed).toMatchObject({ ok: true, command: "quote" });
      }),
      { seed: 10, numRuns: 500 },
    );
  });
});

describe("words ending in a colon", () => {
  it("are always words of the query, never an option", () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/u);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (ws) => {
        const text = `quote ${ws.map((w) => `${w}:`).join(" ")}`;
        expect(parseCommandText(text)).toEqual({
          ok: true,
          command: "quote",
          options: { query: ws.map((w) => `${w}:`).join(" ") },
        });
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe("usage lines", () => {
  it.each([
    ["random", "slack", "/karpathy random [source:<id>]"],
    ["sources", "cli", "karpathy sources"],
  ] as const)("%s on %s reads %j", (name, surface, usage) => {
    const command = COMMANDS.find((c) => fullName(c) === name);
    if (!command) throw new Error(`no ${name}`);
    expect(usageOf(command, surface)).toBe(usage);
  });

  it("puts a positional option first in chat and last on the command line, flags for the rest", () => {
    const quote = COMMANDS.find((c) => c.name === "quote");
    if (!quote) throw new Error("no quote");
    expect(usageOf(quote, "discord")).toMatch(/^\/karpathy quote <query> \[source:<id>\]/u);
    expect(usageOf(quote, "discord")).not.toContain("limit"); // a CLI-only option
    expect(usageOf(quote, "cli")).toMatch(/^karpathy quote \[--source <id>\] \[--limit <n>\].* <query>$/u);
  });
});
