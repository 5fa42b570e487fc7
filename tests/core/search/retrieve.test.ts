import fc from "fast-check";
import MiniSearch from "minisearch";
import { describe, expect, it } from "vitest";
import { Analyzer, defaultStopWords } from "../../../src/core/search/analyze.js";
import { type IndexedDoc, indexOptions, miniSearchTop, retrieve } from "../../../src/core/search/index.js";
import { Postings } from "../../../src/core/search/postings.js";
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

function miniSearchOf(list: Array<Omit<IndexedDoc, "id">>): MiniSearch<IndexedDoc> {
  const index = new MiniSearch<IndexedDoc>(INDEX_OPTIONS);
  index.addAll(list.map((d, i) => ({ id: `p${i}`, ...d })));
  return index;
}

/** As the engine has it: the compact postings, through the snapshot's JSON. */
const indexOf = (list: Array<Omit<IndexedDoc, "id">>): Postings =>
  Postings.decode(JSON.parse(JSON.stringify(Postings.encode(miniSearchOf(list).toJSON()))));

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
          const mini = miniSearchOf(list);
          // MiniSearch as it would be restored from JSON: postings in document order.
          const loaded = MiniSearch.loadJS<IndexedDoc>(JSON.parse(JSON.stringify(mini)), INDEX_OPTIONS);
          const index = indexOf(list);
          const analyzed: AnalyzedQuery = { slots: [{ word: "w", terms }] };
          const weight = new Map(terms.map((t) => [t.term, t.weight]));
          const filter = filtered ? (id: string) => Number(id.slice(1)) % 3 !== 0 : undefined;
          const got = retrieve(index, analyzed, { limit, ...(filter ? { filter } : {}) });
          expect(got).toEqual(miniSearchTop(loaded, [...weight.keys()], weight, limit, filter));
        },
      ),
    );
  });

  it("refuses to encode an index with discarded passages", () => {
    const mini = miniSearchOf([
      { text: "tesla data", prompt: "", context: "" },
      { text: "tesla", prompt: "", context: "" },
    ]);
    mini.discard("p0");
    expect(() => Postings.encode(mini.toJSON())).toThrow(/discarded/);
  });

  it("refuses postings that do not match their terms (a damaged snapshot)", () => {
    const encoded = Postings.encode(miniSearchOf([{ text: "tesla data", prompt: "", context: "" }]).toJSON());
    expect(() => Postings.decode({ ...encoded, terms: [...encoded.terms, "extra"] })).toThrow(/do not match/);
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
