import MiniSearch, { type Options, type SearchOptions, type SearchResult } from "minisearch";
import type { Passage } from "../passages.js";
import { tokenize, toTerm } from "./analyze.js";
import { type AnalyzedQuery, TERM_WEIGHT } from "./query.js";

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
export const FIELD_BOOST: Record<keyof Omit<IndexedDoc, "id">, number> = {
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
  /** Prefix-match the last word (autocomplete, where the user is still typing it). */
  prefixLast?: boolean;
  filter?: (id: string) => boolean;
}

/**
 * First-stage retrieval with MiniSearch: BM25+ over the fields, every term weighted by how it entered
 * the query (typed, spell-corrected, synonym). No MiniSearch fuzzy: spelling is corrected against
 * the vocabulary first, which is both more precise and far cheaper on a large index.
 */
export function retrieve(
  index: MiniSearch<IndexedDoc>,
  query: AnalyzedQuery,
  options: RetrieveOptions = {},
): SearchResult[] {
  const weight = new Map<string, number>();
  for (const slot of query.slots)
    for (const t of slot.terms) weight.set(t.term, Math.max(weight.get(t.term) ?? 0, t.weight));
  for (const t of query.synonyms) if (!weight.has(t)) weight.set(t, TERM_WEIGHT.synonym);
  if (!weight.size) return [];
  const all = [...weight.keys()];
  const last = query.slots.at(-1)?.terms[0]?.term;
  return index.search(all.join(" "), {
    ...RAW_TERMS,
    boost: FIELD_BOOST,
    combineWith: "OR",
    prefix: (term) => Boolean(options.prefixLast) && term === last && term.length >= 2,
    weights: { fuzzy: 0, prefix: 0.4 },
    boostTerm: (term) => weight.get(term) ?? 1,
    ...(options.filter
      ? { filter: (r: SearchResult) => (options.filter as (id: string) => boolean)(r.id) }
      : {}),
  });
}
