import { describe, expect, it } from "vitest";
import type { AnalyzedQuery } from "../../../src/core/search/query.js";
import { DEFAULT_FLOOR, type RankablePassage, rerank } from "../../../src/core/search/rank.js";

const passage = (terms: string[]): RankablePassage => ({
  terms,
  termSet: new Set(terms),
  promptSet: new Set(),
});
const query = (...terms: string[]): AnalyzedQuery => ({
  slots: terms.map((term) => ({ word: term, terms: [{ term, weight: 1 }] })),
});

/** Every candidate has the same first-stage score and covers the whole query: only phrase proximity differs. */
describe("rerank's phrase proximity", () => {
  it.each([
    // "decade … agents" two words apart is a phrase hit; three apart, or in the other order, is not.
    [
      query("decad", "agent"),
      { far: ["decad", "x", "y", "agent"], reversed: ["agent", "decad"], near: ["decad", "x", "agent"] },
      "near",
    ],
    // A query term repeated ("not your weights not your brain"): each consecutive pair counts on its own.
    [
      query("not", "weight", "not", "brain"),
      { one: ["not", "weight", "x", "x", "x", "brain"], all: ["not", "weight", "not", "brain"] },
      "all",
    ],
    // The same term twice in a row must stand twice in the passage, not once.
    [query("data", "data"), { once: ["data", "model"], twice: ["model", "data", "data"] }, "twice"],
  ])("ranks the passage with the query's words together first (%#)", (q, passages, best) => {
    const byId = new Map(Object.entries(passages).map(([id, terms]) => [id, passage(terms)]));
    const ranked = rerank(
      [...byId.keys()].map((id) => ({ id, score: 1 })),
      q,
      (id) => byId.get(id),
      { idf: () => 1, floor: DEFAULT_FLOOR, background: () => false },
    );
    expect(ranked[0]?.id).toBe(best);
    expect(ranked).toHaveLength(byId.size);
    // The words-together passage outranks every other, not just ties with it.
    expect(ranked.slice(1).every((r) => r.score < (ranked[0]?.score ?? 0))).toBe(true);
  });
});

describe("rerank's relevance floor", () => {
  const idf = () => 1;
  const background = () => false;
  const candidates = [{ id: "p", score: 1 }];
  // Four words of equal weight; the passage holds the first, and the second only through a synonym.
  const withSynonym: AnalyzedQuery = {
    slots: [
      { word: "meaning", terms: [{ term: "mean", weight: 1 }] },
      {
        word: "life",
        terms: [
          { term: "life", weight: 1 },
          { term: "exist", weight: 0.5 },
        ],
      },
      { word: "pizza", terms: [{ term: "pizza", weight: 1 }] },
      { word: "today", terms: [{ term: "today", weight: 1 }] },
    ],
  };
  const rank = (terms: string[]) =>
    rerank(candidates, withSynonym, () => passage(terms), { idf, floor: DEFAULT_FLOOR, background });

  it("counts a word met only through a synonym as no second word: one word's evidence must carry the query", () => {
    // Coverage (1 + 0.5) / 4 clears the two-word floor (0.15), not the one-word floor (0.5).
    expect(rank(["mean", "exist"])).toEqual([]);
  });

  it("still answers when the second word is in the passage as typed", () => {
    expect(rank(["mean", "life"]).map((r) => r.id)).toEqual(["p"]);
  });
});
