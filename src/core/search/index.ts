import MiniSearch, { type Options, type SearchOptions, type SearchResult } from "minisearch";
import type { Passage } from "../passages.js";
import { tokenize } from "../text.js";
import type { Analyzer } from "./analyze.js";
import type { Postings } from "./postings.js";
import type { AnalyzedQuery } from "./query.js";

/** What MiniSearch indexes per passage. Only ids are stored: passages live in the engine. */
export interface IndexedDoc {
  id: string;
  /** The subject's words: the quote itself. */
  text: string;
  /** The question that prompted the answer: finds answers that do not repeat the question's words. */
  prompt: string;
  /** The neighbouring passages of the same answer. */
  context: string;
}

/** The indexed fields, in MiniSearch's order (its field ids, and the order it scores them in). */
export const INDEXED_FIELDS = ["text", "prompt", "context"] as const;

/**
 * The options to build an index with and to load a serialised copy: the same analyzer both times.
 * No `searchOptions`: `miniSearchTop` passes every option `Postings.top` reproduces.
 */
export function indexOptions(analyzer: Analyzer): Options<IndexedDoc> {
  return {
    idField: "id",
    fields: [...INDEXED_FIELDS],
    storeFields: [],
    tokenize,
    processTerm: analyzer.toTerm,
  };
}

/**
 * Field weights: the quote's own words count most; the interviewer's question is good evidence of
 * topic but must not outrank a passage that says it; neighbours mostly break ties. A 1–3 sentence
 * passage often leaves its topic to the question it answers or to the sentences around it: at 0.5
 * and 0.3 (up from 0.35 and 0.15) the relevance set gains hit@3 0.796 → 0.814 and MRR 0.665 → 0.676
 * (MRR on both halves of it; tuned on one half), with the same results anywhere in 0.45–0.6 and
 * 0.25–0.35.
 */
export const FIELD_BOOST: Readonly<Record<keyof Omit<IndexedDoc, "id">, number>> = {
  text: 1,
  prompt: 0.5,
  context: 0.3,
};

/** Query terms are analysed once by us; MiniSearch must take them as they are. */
const RAW_TERMS: Pick<SearchOptions, "tokenize" | "processTerm"> = {
  tokenize: (s) => s.split(" ").filter(Boolean),
  processTerm: (t) => t,
};

export function buildIndex(passages: readonly Passage[], analyzer: Analyzer): MiniSearch<IndexedDoc> {
  const index = new MiniSearch<IndexedDoc>(indexOptions(analyzer));
  index.addAll(passages.map((p) => ({ id: p.id, text: p.text, prompt: p.prompt, context: p.around })));
  return index;
}

export interface RetrieveOptions {
  filter?: (id: string) => boolean;
  /** How many passages contain a term: retrieval skips the commonest terms past `postingsBudget`. */
  df?: (term: string) => number;
  /** How many of the best candidates to return (default 100, the engine's CANDIDATES). */
  limit?: number;
}

/** A first-stage hit: a passage id and its MiniSearch (BM25+) score. */
export interface Candidate {
  id: string;
  score: number;
}

/**
 * How many postings (passages containing a term, counted on the quote text; the other fields add
 * about twice as many) the first stage may score. The rarest terms go first; common ones past the
 * budget still count in re-ranking (coverage), they just do not widen the candidate set. On the real
 * corpus it rarely binds (the relevance set ranks the same with or without it); on a 100× corpus it
 * keeps the first stage bounded.
 */
export const POSTINGS_BUDGET = 700;

/** MiniSearch's default BM25+ parameters, stated so that both scoring paths below use the same. */
export const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;

/**
 * First-stage retrieval: BM25+ over the fields, every term weighted by how it entered the query
 * (typed, spell-corrected, prefix of the word being typed, synonym), best `limit` first. No fuzzy or
 * prefix search: both are resolved against the vocabulary first, which is more precise and far
 * cheaper. Scores and order are MiniSearch's own (`index.search` with these options): see postings.ts.
 */
export function retrieve(index: Postings, query: AnalyzedQuery, options: RetrieveOptions = {}): Candidate[] {
  const weight = new Map<string, number>();
  // Weights are positive (TERM_WEIGHT); a zero would add a passage without score, so none enter.
  for (const slot of query.slots)
    for (const t of slot.terms)
      if (t.weight > 0) weight.set(t.term, Math.max(weight.get(t.term) ?? 0, t.weight));
  if (!weight.size) return [];
  let terms = [...weight.keys()];
  const df = options.df;
  if (df) {
    terms.sort((a, b) => df(a) - df(b));
    let postings = 0;
    terms = terms.filter((t, i) => {
      postings += df(t);
      return i === 0 || postings <= POSTINGS_BUDGET;
    });
  }
  const limit = options.limit ?? 100;
  return index.top(terms, weight, limit, options.filter);
}

/** The same first stage through MiniSearch's own `search`: the reference `Postings.top` must match. */
export function miniSearchTop(
  index: MiniSearch<IndexedDoc>,
  terms: readonly string[],
  weight: ReadonlyMap<string, number>,
  limit: number,
  filter?: (id: string) => boolean,
): Candidate[] {
  return index
    .search(terms.join(" "), {
      ...RAW_TERMS,
      boost: FIELD_BOOST,
      bm25: BM25,
      combineWith: "OR",
      boostTerm: (term) => weight.get(term) ?? 1,
      ...(filter ? { filter: (r: SearchResult) => filter(r.id) } : {}),
    })
    .slice(0, limit)
    .map((r) => ({ id: r.id, score: r.score }));
}
