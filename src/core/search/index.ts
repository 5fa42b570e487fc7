import MiniSearch, { type Options, type SearchOptions, type SearchResult } from "minisearch";
import type { Passage } from "../passages.js";
import { tokenize, toTerm } from "./analyze.js";
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

/** The one options object, used both to build the index and to load a serialised copy. */
export const INDEX_OPTIONS: Options<IndexedDoc> = {
  idField: "id",
  fields: ["text", "prompt", "context"],
  storeFields: [],
  tokenize,
  processTerm: toTerm,
};

/**
 * Field weights: the quote's own words count most; the interviewer's question is good evidence of
 * topic but must not outrank a passage that says it; neighbours only break ties.
 */
export const FIELD_BOOST: Readonly<Record<keyof Omit<IndexedDoc, "id">, number>> = {
  text: 1,
  prompt: 0.35,
  context: 0.15,
};

/** Query terms are analysed once by us; MiniSearch must take them as they are. */
const RAW_TERMS: Pick<SearchOptions, "tokenize" | "processTerm"> = {
  tokenize: (s) => s.split(" ").filter(Boolean),
  processTerm: (t) => t,
};

export function buildIndex(
  passages: readonly Passage[],
  contextOf: (p: Passage) => string,
): MiniSearch<IndexedDoc> {
  const index = new MiniSearch<IndexedDoc>(INDEX_OPTIONS);
  index.addAll(passages.map((p) => ({ id: p.id, text: p.text, prompt: p.prompt, context: contextOf(p) })));
  return index;
}

export interface RetrieveOptions {
  filter?: (id: string) => boolean;
  /** How many passages contain a term: retrieval skips the commonest terms past `postingsBudget`. */
  df?: (term: string) => number;
}

/**
 * How many postings (passages containing a term, counted on the quote text; the other fields add
 * about twice as many) the first stage may score. The rarest terms go first; common ones past the
 * budget still count in re-ranking (coverage), they just do not widen the candidate set. On the real
 * corpus it rarely binds (the relevance set ranks the same with or without it); on a 100× corpus it
 * keeps the first stage bounded.
 */
export const POSTINGS_BUDGET = 700;

/**
 * First-stage retrieval with MiniSearch: BM25+ over the fields, every term weighted by how it entered
 * the query (typed, spell-corrected, prefix of the word being typed, synonym). No MiniSearch fuzzy or
 * prefix: both are resolved against the vocabulary first, which is more precise and far cheaper.
 */
export function retrieve(
  index: MiniSearch<IndexedDoc>,
  query: AnalyzedQuery,
  options: RetrieveOptions = {},
): SearchResult[] {
  const weight = new Map<string, number>();
  for (const slot of query.slots)
    for (const t of slot.terms) weight.set(t.term, Math.max(weight.get(t.term) ?? 0, t.weight));
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
  return index.search(terms.join(" "), {
    ...RAW_TERMS,
    boost: FIELD_BOOST,
    combineWith: "OR",
    boostTerm: (term) => weight.get(term) ?? 1,
    ...(options.filter
      ? { filter: (r: SearchResult) => (options.filter as (id: string) => boolean)(r.id) }
      : {}),
  });
}
