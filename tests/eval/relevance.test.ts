import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { shingles, tokenize } from "../../src/core/text.js";
import { evaluate, heldOut, loadRelevanceSet, type RelevanceCase } from "../../src/eval/relevance.js";
import { realEngine } from "../helpers.js";

/**
 * The relevance set (eval/README.md) as a regression test: `npm run eval` prints the same numbers.
 * Floors sit a little under the measured values so that a real drop fails, not noise from a tweak.
 */
const cases = loadRelevanceSet(fileURLToPath(new URL("../../eval/relevance.json", import.meta.url)));
const metrics = evaluate(realEngine(), cases);

describe("ranking quality on the relevance set", () => {
  it("has at least 250 queries, 30 of every kind a quote bot gets, split into tuning and held-out halves", () => {
    expect(cases.length).toBeGreaterThanOrEqual(250);
    const kinds = ["keywords", "phrase", "question", "paraphrase", "typo", "name", "headline", "offtopic"];
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(kinds));
    for (const kind of kinds) expect(cases.filter((c) => c.kind === kind).length).toBeGreaterThanOrEqual(30);
    const held = heldOut(cases).length;
    expect(Math.abs(held - (cases.length - held))).toBeLessThanOrEqual(10);
  });

  it("keeps hit@1, hit@3 and MRR above their floors", () => {
    expect(metrics.hit1).toBeGreaterThanOrEqual(0.58);
    expect(metrics.hit3).toBeGreaterThanOrEqual(0.77);
    expect(metrics.mrr).toBeGreaterThanOrEqual(0.68);
  });

  it("answers off-topic queries with nothing, and on-topic ones with something", () => {
    expect(metrics.offtopicEmpty).toBeGreaterThanOrEqual(0.85);
    expect(metrics.emptyOnTopic).toBeLessThanOrEqual(0.06);
  });

  it("finds keyword and phrase queries almost always", () => {
    expect(metrics.byKind.keywords?.hit3).toBeGreaterThanOrEqual(0.8);
    expect(metrics.byKind.phrase?.hit3).toBeGreaterThanOrEqual(0.85);
  });

  it("never returns the same passage twice in one answer, even across transcripts", () => {
    const engine = realEngine();
    // Plus queries whose answers span twin transcripts cut at different points.
    const queries = [...cases.map((c) => c.query), "waymo", "tesla lidar", "elon small teams", "rowing team"];
    for (const query of queries) {
      const results = engine.search(query, { limit: 5 });
      // A passage is shown once, and never both shown and credited as another result's twin (one
      // blog quote spanning two transcript passages may be credited by both).
      const shown = results.map((r) => r.id);
      expect(new Set(shown).size, query).toBe(shown.length);
      for (const r of results)
        for (const a of r.alsoIn) expect(shown, `${query}: ${a.passageId}`).not.toContain(a.passageId);
      // Nor the same words from two transcripts: no run of ten words stands in two results from
      // different sources. (One source's passages never overlap; a phrase he said twice, he said twice.)
      const runs = results.map((r) => ({
        source: r.source.id,
        grams: new Set(shingles(tokenize(r.text), 10)),
      }));
      runs.forEach((a, i) => {
        for (const b of runs.slice(i + 1))
          if (a.source !== b.source)
            expect(
              [...a.grams].filter((g) => b.grams.has(g)),
              `${query}: results share words`,
            ).toEqual([]);
      });
    }
  });
});

describe("the held-out half of the relevance set", () => {
  const base = { kind: "keywords" as const, expected: [] };
  const cases: RelevanceCase[] = [
    { ...base, id: "q1", query: "a", split: "tune" },
    { ...base, id: "q2", query: "b", split: "held-out" },
  ];

  it("is the cases marked held-out, where the set is split", () => {
    expect(heldOut(cases).map((c) => c.id)).toEqual(["q2"]);
  });

  it("is the whole set, where it is not", () => {
    const unsplit = cases.map(({ split: _, ...c }) => c);
    expect(heldOut(unsplit)).toHaveLength(2);
  });
});
