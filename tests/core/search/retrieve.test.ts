import fc from "fast-check";
import MiniSearch from "minisearch";
import { describe, expect, it, vi } from "vitest";
import { Analyzer, defaultStopWords } from "../../../src/core/search/analyze.js";
import { type IndexedDoc, indexOptions, miniSearchTop, retrieve } from "../../../src/core/search/index.js";
import type { AnalyzedQuery } from "../../../src/core/search/query.js";

/** Few words, so that passages share terms and tie; numbers because MiniSearch keys its matches by term. */
const WORDS = ["agents", "decade", "tesla", "data", "model", "10", "1000", "10x", "learning", "ghosts"];
const analyzer = new Analyzer(defaultStopWords());
const INDEX_OPTIONS = indexOptions(analyzer);
const TERMS = [...new Set(WORDS.map((w) => analyzer.toTerm(w) as string))];

const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((w) => w.join(" "));
const docs = fc.array(fc.record({ text, prompt: text, context: text }), { minLength: 1, maxLength: 40 });
const query = fc.uniqueArray(
  fc.record({ term: fc.constantFrom(...TERMS, "unindexed"), weight: fc.constantFrom(1, 0.8, 0.6, 0.45) }),
  { selector: (t) => t.term, minLength: 1, maxLength: 6 },
);

function indexOf(list: Array<Omit<IndexedDoc, "id">>): MiniSearch<IndexedDoc> {
  const index = new MiniSearch<IndexedDoc>(INDEX_OPTIONS);
  index.addAll(list.map((d, i) => ({ id: `p${i}`, ...d })));
  // As the engine has it: a loaded copy, whose postings are in document order.
  return MiniSearch.loadJS<IndexedDoc>(JSON.parse(JSON.stringify(index)), INDEX_OPTIONS);
}

/** The first stage must be MiniSearch's own search, only cheaper: same ids, same scores, same order. */
describe("retrieve", () => {
  it("returns what MiniSearch's search returns, ties in the same order", () => {
    fc.assert(
      fc.property(
        docs,
        query,
        fc.integer({ min: 0, max: 30 }),
        fc.boolean(),
        (list, terms, limit, filtered) => {
          const index = indexOf(list);
          const analyzed: AnalyzedQuery = { slots: [{ word: "w", terms }] };
          const weight = new Map(terms.map((t) => [t.term, t.weight]));
          const filter = filtered ? (id: string) => Number(id.slice(1)) % 3 !== 0 : undefined;
          const got = retrieve(index, analyzed, { limit, ...(filter ? { filter } : {}) });
          expect(got).toEqual(miniSearchTop(index, [...weight.keys()], weight, limit, filter));
        },
      ),
    );
  });

  it("scores a loaded index itself: MiniSearch's search runs only for its one start-up self-check", () => {
    const index = indexOf([
      { text: "tesla data", prompt: "agents", context: "" },
      { text: "tesla", prompt: "", context: "data" },
    ]);
    const analyzed: AnalyzedQuery = { slots: [{ word: "tesla", terms: [{ term: "tesla", weight: 1 }] }] };
    const search = vi.spyOn(index, "search");
    retrieve(index, analyzed);
    const calls = search.mock.calls.length;
    expect(calls).toBeLessThanOrEqual(1);
    for (let i = 0; i < 5; i++) expect(retrieve(index, analyzed).map((c) => c.id)).toEqual(["p1", "p0"]);
    expect(search.mock.calls.length).toBe(calls);
  });

  it.each([
    ["_nextId", undefined],
    ["_fieldIds", { text: 0 }],
    ["_documentCount", "2"],
  ])("falls back to MiniSearch's search when its %s is not as expected", (field, value) => {
    const index = indexOf([
      { text: "tesla data", prompt: "", context: "" },
      { text: "tesla", prompt: "", context: "" },
    ]);
    (index as unknown as Record<string, unknown>)[field] = value;
    const search = vi.spyOn(index, "search");
    const analyzed: AnalyzedQuery = { slots: [{ word: "tesla", terms: [{ term: "tesla", weight: 1 }] }] };
    expect(
      retrieve(index, analyzed)
        .map((c) => c.id)
        .sort(),
    ).toEqual(["p0", "p1"]);
    expect(search).toHaveBeenCalled();
  });

  it("still answers after a passage is discarded (MiniSearch then scores it itself)", () => {
    const index = indexOf([
      { text: "tesla data", prompt: "", context: "" },
      { text: "tesla", prompt: "", context: "" },
    ]);
    index.discard("p0");
    const analyzed: AnalyzedQuery = { slots: [{ word: "tesla", terms: [{ term: "tesla", weight: 1 }] }] };
    expect(retrieve(index, analyzed).map((c) => c.id)).toEqual(["p1"]);
  });

  it("leaves nothing behind for the next query when the filter throws", () => {
    const index = indexOf([
      { text: "tesla data", prompt: "", context: "" },
      { text: "data", prompt: "", context: "" },
    ]);
    const analyzed: AnalyzedQuery = { slots: [{ word: "data", terms: [{ term: "data", weight: 1 }] }] };
    const before = retrieve(index, analyzed);
    const boom = () => {
      throw new Error("boom");
    };
    expect(() => retrieve(index, analyzed, { filter: boom })).toThrow("boom");
    expect(retrieve(index, analyzed)).toEqual(before);
  });

  it("scores an index built after an earlier query on another index", () => {
    const analyzed: AnalyzedQuery = { slots: [{ word: "data", terms: [{ term: "data", weight: 1 }] }] };
    const a = indexOf([{ text: "data", prompt: "", context: "" }]);
    const b = indexOf([
      { text: "model", prompt: "", context: "" },
      { text: "data data", prompt: "", context: "" },
    ]);
    expect(retrieve(a, analyzed).map((c) => c.id)).toEqual(["p0"]);
    expect(retrieve(b, analyzed).map((c) => c.id)).toEqual(["p1"]);
  });
});
