import MiniSearch, { type Options, type SearchOptions, type SearchResult } from "minisearch";
import type { Passage } from "../passages.js";
import { terms, tokenize, toTerm } from "./analyze.js";

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
export const FIELD_BOOST = { text: 1, prompt: 0.35, context: 0.15 } as const;

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

export interface WeightedTerms {
  /** The query's own terms, in order. */
  terms: string[];
  /** Synonym terms, searched at `synonymWeight`. */
  synonyms: string[];
}

export interface RetrieveOptions {
  /** Prefix-match the last term (autocomplete, where the user is still typing it). */
  prefixLast?: boolean;
  filter?: (id: string) => boolean;
}

/** Fuzzy only where a typo is plausible and a match still specific: stems of 5+ letters, 1–2 edits. */
function fuzziness(term: string): number | false {
  if (/^\d+$/u.test(term) || term.length < 5) return false;
  return term.length >= 9 ? 2 : 1;
}

export const SYNONYM_WEIGHT = 0.45;

/** First-stage retrieval with MiniSearch: BM25+ over the fields, fuzzy and prefix weighed below exact. */
export function retrieve(
  index: MiniSearch<IndexedDoc>,
  query: WeightedTerms,
  options: RetrieveOptions = {},
): SearchResult[] {
  const all = [...query.terms, ...query.synonyms];
  if (!all.length) return [];
  const synonyms = new Set(query.synonyms);
  const last = query.terms.length - 1;
  return index.search(all.join(" "), {
    ...RAW_TERMS,
    boost: FIELD_BOOST,
    combineWith: "OR",
    fuzzy: (term, i) => (i < query.terms.length ? fuzziness(term) : false),
    prefix: (term, i) => Boolean(options.prefixLast) && i === last && term.length >= 2,
    weights: { fuzzy: 0.3, prefix: 0.4 },
    maxFuzzy: 2,
    boostTerm: (term) => (synonyms.has(term) ? SYNONYM_WEIGHT : 1),
    ...(options.filter
      ? { filter: (r: SearchResult) => (options.filter as (id: string) => boolean)(r.id) }
      : {}),
  });
}

export { terms };
