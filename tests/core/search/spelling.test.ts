import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { derivations } from "../../../src/core/search/query.js";
import { editDistance, SpellingCorrector } from "../../../src/core/search/spelling.js";

const corrector = SpellingCorrector.fromCounts([
  ["reinforcement", 15],
  ["learning", 62],
  ["leaning", 1],
  ["tesla", 18],
  ["terrible", 10],
  ["transformer", 20],
  ["model", 113],
  ["modal", 2],
  ["motel", 2],
  ["café", 3],
]);

describe("SpellingCorrector", () => {
  it.each([
    // One letter missing, from a long word.
    ["reinforcment", ["reinforcement"]],
    // Two edits are allowed from 8 letters on: "lerning" has 7, one edit; the more frequent word first.
    ["lerning", ["learning", "leaning"]],
    // A swap of neighbours is one edit, not two.
    ["telsa", ["tesla"]],
    ["modle", ["model"]],
    // Equally close and equally frequent: alphabetical.
    ["motal", ["modal", "motel"]],
    // Two edits in a word under 8 letters: too far.
    ["teslaxy", []],
    // A swap plus a deletion is two edits with swaps as one, but three by Levenshtein: too far.
    ["tarnsfomer", []],
    ["transfomer", ["transformer"]],
    // One letter too many at the end.
    ["teslas", ["tesla"]],
    // Letters beyond ASCII are letters like any other.
    ["cafe", ["café"]],
    // Too short, or with digits: never corrected.
    ["mdl", []],
    ["model2", []],
  ])("corrects %j to %j", (word, expected) => {
    expect(corrector.correct(word)).toEqual(expected);
  });

  it("knows the corpus's own words", () => {
    expect(corrector.has("tesla")).toBe(true);
    expect(corrector.has("telsa")).toBe(false);
  });

  /** The trie search must find what comparing the word with every vocabulary word finds. */
  it("finds the same words as a comparison with every word of the vocabulary", () => {
    const letter = fc.constantFrom(..."abcdeé");
    const word = fc.string({ unit: letter, minLength: 1, maxLength: 10 });
    /** A vocabulary word with a few random edits (delete, insert, replace, swap), so that most queries have near words. */
    const edit = fc.record({ kind: fc.integer({ min: 0, max: 3 }), at: fc.nat(), letter });
    const apply = (w: string, { kind, at, letter }: { kind: number; at: number; letter: string }) => {
      const i = at % (w.length + 1);
      if (kind === 0) return w.slice(0, i) + w.slice(i + 1);
      if (kind === 1) return w.slice(0, i) + letter + w.slice(i);
      if (kind === 2) return w.slice(0, i) + letter + w.slice(i + 1);
      return w.slice(0, i) + w.slice(i + 1, i + 2) + w.slice(i, i + 1) + w.slice(i + 2);
    };
    const counts = fc.uniqueArray(fc.tuple(word, fc.integer({ min: 1, max: 3 })), {
      selector: ([w]) => w,
      minLength: 1,
    });
    fc.assert(
      fc.property(counts, fc.nat(), fc.array(edit, { maxLength: 3 }), (counts, pick, edits) => {
        const query = edits.reduce(apply, counts[pick % counts.length]?.[0] ?? "");
        const got = SpellingCorrector.fromCounts(counts).correct(query, 100);
        const allowed = query.length >= 8 ? 2 : 1;
        const found = counts
          .map(([w, count]) => ({ w, count, distance: editDistance(query, w) }))
          .filter(
            ({ w, distance }) =>
              distance > 0 &&
              distance <= allowed &&
              editDistance(query, w, { swaps: false }) <= 2 &&
              // A short word keeps its first letter.
              (query.length >= 8 || w[0] === query[0]),
          );
        const best = Math.min(...found.map((f) => f.distance));
        const expected =
          query.length < 4
            ? []
            : found
                .filter((f) => f.distance === best)
                .sort((a, b) => b.count - a.count || (a.w < b.w ? -1 : 1))
                .map((f) => f.w);
        expect(got).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("derivations", () => {
  it.each([
    ["optimiser", "optimizer"],
    ["scalable", "scale"],
    ["educational", "education"],
    ["1b", "billion"],
  ])("offers %j as %j among its other forms", (word, form) => {
    expect(derivations(word)).toContain(form);
  });

  it("leaves a word without a derivational suffix alone", () => {
    expect(derivations("agent")).toEqual([]);
  });
});
