import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/core/corpus/load.js";
import { DEFAULT_CORPUS_DIR } from "../../src/core/engine.js";
import { buildPassages, endsSentence, PASSAGE_LENGTH } from "../../src/core/passages.js";
import { realEngine } from "../helpers.js";

const engine = realEngine();
const corpus = loadCorpus(DEFAULT_CORPUS_DIR);
const ids = () => corpus.sources.flatMap((s) => Array.from({ length: 2000 }, (_, n) => `${s.meta.id}:${n}`));
const passages = ids()
  .map((id) => engine.get(id))
  .filter((r) => r !== undefined);

/** The source's words in order, as the reader of the transcript sees them (markup removed). */
const sourceWords = new Map(
  corpus.sources.map((s) => [s.meta.id, ` ${s.blocks.map((b) => b.text).join(" ")} `.replace(/\s+/gu, " ")]),
);

describe("passages", () => {
  it("never starts or ends in the middle of a sentence unless it marks the cut", () => {
    const built = buildPassages(corpus);
    expect(built.length).toBeGreaterThan(500);
    for (const p of built) {
      if (!p.cut?.end) expect(endsSentence(p.text), p.id).toBe(true);
      // Lower case after an unfinished sentence: the rest of a sentence the transcript gave another.
      const source = corpus.sources.find((s) => s.meta.id === p.sourceId);
      const before = source?.sentences[p.sentences[0] - 1];
      if (!p.cut?.start && before && /^\p{Ll}/u.test(p.text))
        expect(endsSentence(before.text), p.id).toBe(true);
    }
  });

  it("joins a sentence of his that a line break cut in two", () => {
    // The Dwarkesh transcript breaks "Not even that prompt injection is way too fancy / or you're
    // finding adversarial examples…" over two lines; as two quotes each half would read as a fragment.
    const hit = passages.find((p) => p.text.includes("prompt injection is way too fancy"));
    expect(hit?.text).toMatch(/too fancy or you're finding adversarial examples/);
  });

  it("exist for every source", () => {
    expect(new Set(passages.map((p) => p.source.id))).toEqual(new Set(corpus.sources.map((s) => s.meta.id)));
  });

  it("are verbatim: each passage is a run of its source's text with only whitespace normalised", () => {
    fc.assert(
      fc.property(fc.constantFrom(...passages), (p) => {
        expect(sourceWords.get(p.source.id)).toContain(` ${p.text} `.replace(/^ | $/gu, ""));
        expect(p.text).toBe(p.text.replace(/\s+/gu, " ").trim());
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it("stay within the length bounds, with a median of 100–400 characters", () => {
    const lengths = passages.map((p) => p.text.length).sort((a, b) => a - b);
    expect(lengths.at(-1)).toBeLessThanOrEqual(PASSAGE_LENGTH.max);
    expect(lengths[0]).toBeGreaterThanOrEqual(40);
    const median = lengths[Math.floor(lengths.length / 2)] ?? 0;
    expect(median).toBeGreaterThanOrEqual(100);
    expect(median).toBeLessThanOrEqual(400);
  });

  it("never cross speakers: every sentence of a passage is Karpathy's", () => {
    for (const p of buildPassages(corpus)) {
      const source = corpus.sources.find((s) => s.meta.id === p.sourceId);
      const [first, last] = p.sentences;
      for (let i = first; i <= last; i++) expect(source?.attributions[i]?.speaker).toBe("karpathy");
      // One block, unless a line break cut one of his sentences in two.
      for (let i = first; i < last; i++)
        if (source?.sentences[i]?.block !== source?.sentences[i + 1]?.block)
          expect(endsSentence(source?.sentences[i]?.text ?? "")).toBe(false);
    }
  });

  it("keep the timestamp and link to that second where the source has timestamps", () => {
    const timed = passages.filter((p) => p.source.id === "dwarkesh");
    expect(timed.length).toBeGreaterThan(50);
    for (const p of timed) {
      expect(p.timestamp).toMatch(/^\d\d:\d\d:\d\d$/);
      const [h, m, s] = (p.timestamp ?? "").split(":").map(Number);
      expect(p.link).toMatch(new RegExp(`[?&]t=${(h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0)}s$`));
    }
  });
});

describe("search on arbitrary user text", () => {
  it("never throws and returns well-formed, distinct results", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: "grapheme", maxLength: 120 }),
          fc
            .array(
              fc.constantFrom("agents", "rl", "the", "tesla", "<@123>", "@everyone", "?", "don't", "llm"),
              {
                maxLength: 12,
              },
            )
            .map((w) => w.join(" ")),
        ),
        (query) => {
          let results: ReturnType<typeof engine.search> = [];
          try {
            results = engine.search(query, { limit: 5 });
          } catch (error) {
            // Only the documented input errors may surface, as coded errors.
            expect((error as { code?: string }).code).toBe("bad-query");
            return;
          }
          expect(results.length).toBeLessThanOrEqual(5);
          expect(new Set(results.map((r) => r.id)).size).toBe(results.length);
          for (const r of results) expect(r.speaker).toBe("Andrej Karpathy");
        },
      ),
      { seed: 7, numRuns: 400 },
    );
  });

  it("rejects an empty or overlong query with a coded error", () => {
    expect(() => engine.search("   ")).toThrow(expect.objectContaining({ code: "bad-query" }));
    expect(() => engine.search("x".repeat(301))).toThrow(expect.objectContaining({ code: "bad-query" }));
    expect(() => engine.search("agents", { source: "nope" })).toThrow(
      expect.objectContaining({ code: "unknown-source" }),
    );
  });
});
