import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { COMMANDS, fullName, isOn, usageOf } from "../commands/index.js";
import { main } from "../src/cli.js";

/** Runs the CLI in-process and captures stdout lines, stderr and the exit code. */
async function run(...argv: string[]) {
  const lines: string[] = [];
  let stderr = "";
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const code = await main(argv, (l) => lines.push(l));
  spy.mockRestore();
  return { code, stdout: lines.join("\n"), lines, stderr };
}

afterEach(() => vi.restoreAllMocks());

describe("karpathy quote", () => {
  it("prints readable results with attribution", async () => {
    const r = await run("quote", "decade of agents");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1\. “/);
    expect(r.stdout).toContain("— Andrej Karpathy");
    expect(r.stdout).toMatch(/youtube\.com\/watch\?v=\w+&t=\d+s/);
  });

  it("says how it read a query it corrected, readably and as readAs in JSON", async () => {
    const text = await run("quote", "telsa lidar");
    expect(text.lines[0]?.trim()).toBe('Showing results for "tesla lidar".');
    const json = JSON.parse((await run("quote", "--json", "telsa lidar")).stdout);
    expect(json.readAs).toBe("tesla lidar");
    expect(json.results.length).toBeGreaterThan(0);
    expect(JSON.parse((await run("quote", "--json", "tesla lidar")).stdout)).not.toHaveProperty("readAs");
  });

  it("prints one JSON object with the documented fields, best first", async () => {
    const r = await run("quote", "--json", "--limit", "3", "tesla lidar");
    const out = JSON.parse(r.stdout);
    expect(out.query).toBe("tesla lidar");
    expect(out.results.length).toBeGreaterThan(0);
    expect(out.results.length).toBeLessThanOrEqual(3);
    for (const x of out.results) {
      expect(x).toEqual(
        expect.objectContaining({
          text: expect.any(String),
          speaker: "Andrej Karpathy",
          source: expect.objectContaining({
            id: expect.any(String),
            title: expect.any(String),
            url: expect.any(String),
          }),
          link: expect.any(String),
          alsoIn: expect.any(Array),
          score: expect.any(Number),
        }),
      );
      expect(x).toHaveProperty("timestamp");
    }
    const scores = out.results.map((x: { score: number }) => x.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("says nothing was found, readably, when nothing is relevant", async () => {
    const r = await run("quote", "kubernetes helm charts");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Nothing found for "kubernetes helm charts". Try fewer or other words.');
  });

  it("prints an empty result list when nothing is relevant", async () => {
    expect(JSON.parse((await run("quote", "--json", "best pizza in naples")).stdout)).toEqual({
      query: "best pizza in naples",
      results: [],
    });
  });

  it("answers a batch file with one JSON object per line, in order", async () => {
    const dir = mkdtempSync(join(tmpdir(), "batch-"));
    const file = join(dir, "queries.txt");
    writeFileSync(file, "decade of agents\n\nkubernetes helm charts\nwhat should kids study?\n");
    const r = await run("quote", "--json", "--limit", "2", "--batch", file);
    expect(r.code).toBe(0);
    const objects = r.lines.map((l) => JSON.parse(l));
    expect(objects.map((o) => o.query)).toEqual([
      "decade of agents",
      "kubernetes helm charts",
      "what should kids study?",
    ]);
    expect(objects[1].results).toEqual([]);
    expect(objects[2].results.length).toBeGreaterThan(0);
  });

  it.each([
    ["an empty query", ["quote", ""], /empty/],
    ["an overlong query", ["quote", "x".repeat(301)], /too long/],
    ["an unknown source", ["quote", "--source", "nope", "agents"], /Unknown source "nope"/],
    [
      "a random quote from an unknown source",
      ["random", "--source", "nope"],
      /karpathy: Unknown source "nope"/,
    ],
    ["a bad flag", ["quote", "--bogus", "agents"], /bogus/],
    ["a bad limit", ["quote", "--limit", "0", "agents"], /--limit/],
    ["an unknown command", ["frobnicate"], /unknown command/],
    ["a missing batch file", ["quote", "--json", "--batch", "/nonexistent/q.txt"], /cannot read batch file/],
    // Strict: a flag or words the command does not take, or --batch without --json, are errors.
    [
      "a flag random does not take",
      ["random", "--limit", "3"],
      /^karpathy: random takes no --limit \(it takes --source <id>\)/u,
    ],
    ["words after random", ["random", "foo"], /^karpathy: random takes no words, but got "foo"/u],
    ["--batch without --json", ["quote", "--batch", "f"], /^karpathy: --batch needs --json/u],
    ["--json on help's neighbour without JSON", ["help", "me"], /help takes no words/u],
    ["a missing query", ["quote"], /Say what the quote should be about|empty/u],
  ])("rejects %s with a one-line error and exit code 2", async (_name, argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("karpathy random, sources, help", () => {
  it("reads source ids in any case", async () => {
    const r = await run("quote", "--json", "--source", "Dwarkesh", "agents");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0].source.id).toBe("dwarkesh");
  });

  it("prints its version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect((await run("--version")).stdout).toBe(`karpathy ${version}`);
  });

  it("lists every command the declarations put on the CLI, with its usage", async () => {
    const r = await run("help");
    for (const c of COMMANDS.filter((c) => isOn(c, "cli")))
      expect(r.stdout).toContain(
        usageOf(c, "cli").replace(fullName(c), `${fullName(c)}${c.json ? " [--json]" : ""}`),
      );
  });

  it("prints a random quote from the requested source", async () => {
    const r = await run("random", "--json", "--source", "nopriors");
    expect(JSON.parse(r.stdout).results[0].source.id).toBe("nopriors");
  });

  it("lists the sources", async () => {
    expect(JSON.parse((await run("sources", "--json")).stdout).sources).toHaveLength(5);
    expect((await run("sources")).stdout).toContain("Dwarkesh Podcast");
  });

  it("explains every command and flag of the CLI (not the chat syntax)", async () => {
    const r = await run("help");
    for (const c of ["quote", "random", "sources", "help"]) expect(r.stdout).toContain(`karpathy ${c}`);
    for (const flag of ["--json", "--limit", "--source", "--batch"]) expect(r.stdout).toContain(flag);
    expect(r.stdout).not.toContain("/karpathy");
    expect((await run("--help")).stdout).toBe(r.stdout);
  });
});

describe("karpathy as a program", () => {
  it("runs through a bin link (npx, npm link), not only as dist/src/cli.js", () => {
    const cli = fileURLToPath(new URL("../dist/src/cli.js", import.meta.url));
    const link = join(mkdtempSync(join(tmpdir(), "karpathy-bin-")), "karpathy");
    symlinkSync(cli, link);
    const out = execFileSync(process.execPath, [link, "help"], { encoding: "utf8" });
    expect(out).toContain("karpathy quote");
  });
});
