import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../../src/core/corpus/load.js";
import { parseManifest } from "../../../src/core/corpus/manifest.js";
import { DEFAULT_CORPUS_DIR } from "../../../src/core/engine.js";

const valid = `subject: karpathy
people:
  karpathy: { name: Andrej Karpathy }
sources:
  - id: talk
    file: talk.txt
    title: A talk
    date: 2024-03
    url: https://example.com/watch?v=1
    format: labeled
    speakers: { Andrej Karpathy: karpathy }
`;

describe("the corpus manifest", () => {
  it("accepts a minimal valid manifest and fills in defaults", () => {
    const m = parseManifest(valid);
    expect(m.sources[0]?.corrections).toEqual([]);
    expect(m.sources[0]?.timestampsMatchUrl).toBe(false);
  });

  it.each([
    ["an unknown format", valid.replace("format: labeled", "format: podcast"), 10, /format/],
    ["a bad date", valid.replace("date: 2024-03", "date: March 2024"), 8, /date: must be YYYY/],
    ["a plain-http url", valid.replace("https://", "http://"), 9, /url/],
    [
      "a speaker mapped to nobody",
      valid.replace("karpathy }\n", "someone }\n"),
      11,
      /unknown person "someone"/,
    ],
    [
      "a duplicate source id (at the second one)",
      `${valid}${valid.slice(valid.indexOf("  - id"))}`,
      12,
      /duplicate id "talk"/,
    ],
    ["a missing title", valid.replace("    title: A talk\n", ""), 5, /title/],
    ["broken YAML", valid.replace("people:", "people: [unclosed"), 2, /./],
  ])("reports %s as Corpus: manifest.yml:<line>: <problem>", (_name, text, line, problem) => {
    let message = "";
    try {
      parseManifest(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`^Corpus: manifest\\.yml:${line}: `));
    expect(message).toMatch(problem);
    expect(message).not.toMatch(/\n\s+at /);
  });
});

describe("loading a corpus folder", () => {
  const copy = () => {
    const dir = mkdtempSync(join(tmpdir(), "corpus-"));
    cpSync(DEFAULT_CORPUS_DIR, dir, { recursive: true });
    return dir;
  };

  it("adds a source of a known format with only a file and a manifest entry", () => {
    const dir = copy();
    writeFileSync(
      join(dir, "new.txt"),
      "Host: What is next?\nAndrej Karpathy: Agents will take a decade of work to get right.\n",
    );
    const manifest = readFileSync(join(dir, "manifest.yml"), "utf8");
    writeFileSync(
      join(dir, "manifest.yml"),
      `${manifest}
  - id: newtalk
    file: new.txt
    title: A new talk
    date: 2026
    url: https://example.com/new
    format: labeled
    speakers: { Host: host, Andrej Karpathy: karpathy }
`,
    );
    const corpus = loadCorpus(dir);
    const added = corpus.sources.find((s) => s.meta.id === "newtalk");
    expect(added?.attributions.map((a) => a.speaker)).toEqual(["host", "karpathy"]);
  });

  it("names the file and line of a malformed source", () => {
    const dir = copy();
    writeFileSync(
      join(dir, "002_c0391778d5d976b7.txt"),
      "[00:00:01] **Andrej Karpathy:** hi\n[0:xx] broken\nmore\n",
    );
    expect(() => loadCorpus(dir)).toThrow(/^Corpus: 002_c0391778d5d976b7\.txt:2: malformed timestamp/);
  });

  it("names a speaker label the manifest does not know", () => {
    const dir = copy();
    writeFileSync(join(dir, "002_c0391778d5d976b7.txt"), "[00:00:01] **Lex Fridman:** hi there\n");
    expect(() => loadCorpus(dir)).toThrow(
      /^Corpus: 002_c0391778d5d976b7\.txt:1: speaker label "Lex Fridman"/,
    );
  });

  it("reports a missing source file", () => {
    const dir = copy();
    writeFileSync(
      join(dir, "manifest.yml"),
      readFileSync(join(dir, "manifest.yml"), "utf8").replace("003_7914856215c41532.txt", "gone.txt"),
    );
    expect(() => loadCorpus(dir)).toThrow(/^Corpus: gone\.txt:0: cannot read/);
  });
});
