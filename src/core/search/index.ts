import MiniSearch, { type Options, type SearchOptions, type SearchResult } from "minisearch";
import type SearchableMap from "minisearch/SearchableMap";
import type { Passage } from "../passages.js";
import { tokenize } from "../text.js";
import type { Analyzer } from "./analyze.js";
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
 * No `searchOptions`: the first stage's Scorer computes `search` with exactly the options it passes.
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
const BM25 = { k: 1.2, b: 0.7, d: 0.5 } as const;

/**
 * First-stage retrieval: BM25+ over the fields, every term weighted by how it entered the query
 * (typed, spell-corrected, prefix of the word being typed, synonym), best `limit` first. No fuzzy or
 * prefix search: both are resolved against the vocabulary first, which is more precise and far
 * cheaper. Scores and order are MiniSearch's own (`index.search` with these options); see `Scorer`.
 */
export function retrieve(
  index: MiniSearch<IndexedDoc>,
  query: AnalyzedQuery,
  options: RetrieveOptions = {},
): Candidate[] {
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
  const scorer = Scorer.of(index);
  if (scorer) return scorer.top(terms, weight, limit, options.filter);
  return miniSearchTop(index, terms, weight, limit, options.filter);
}

/** The same first stage through MiniSearch's public `search` (the reference `Scorer` must match). */
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

/** MiniSearch's protected index state (7.x), which `Scorer` reads and never writes. */
interface MiniSearchState {
  _index: SearchableMap<Map<number, Map<number, number>>>;
  _documentCount: number;
  _documentIds: Map<number, string>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _nextId: number;
  _dirtCount: number;
}

/**
 * MiniSearch's OR search, computed the way MiniSearch does it (same operations in the same order,
 * so the same floating-point scores and the same order among ties) but without its per-hit objects:
 * scores accumulate in typed arrays reused across queries and only the best `limit` hits become
 * objects. `search` allocates a result, a match map and a terms array per matching passage and sorts
 * them all; on a 100× corpus a common term matches 20,000 passages and that garbage, not the
 * arithmetic, was most of a query's time.
 */
class Scorer {
  /** Per index: its scorer, or `null` when MiniSearch must answer itself. */
  private static readonly cache = new WeakMap<MiniSearch<IndexedDoc>, Scorer | null>();

  /**
   * The scorer of an index, `undefined` when MiniSearch's state is not what this code reads or when a
   * sample query does not score exactly as `index.search` does: then MiniSearch answers itself.
   */
  static of(index: MiniSearch<IndexedDoc>): Scorer | undefined {
    const state = index as unknown as Partial<MiniSearchState>;
    const cached = Scorer.cache.get(index);
    if (cached === null) return undefined;
    if (cached?.isFor(state as MiniSearchState)) return cached;
    const scorer = Scorer.readable(state) ? new Scorer(state) : undefined;
    const ok = scorer?.agreesWith(index) ?? false;
    Scorer.cache.set(index, ok ? (scorer as Scorer) : null);
    return ok ? scorer : undefined;
  }

  /** Whether every piece of state the scorer reads is there, with the shape it expects. */
  private static readable(state: Partial<MiniSearchState>): state is MiniSearchState {
    const { _fieldIds: ids, _avgFieldLength: avg } = state;
    return (
      typeof state._index?.get === "function" &&
      state._fieldLength instanceof Map &&
      state._documentIds instanceof Map &&
      Number.isInteger(state._nextId) &&
      Number.isInteger(state._documentCount) &&
      // Discarded documents (dirt) leave postings that MiniSearch skips and cleans up: leave those to it.
      state._dirtCount === 0 &&
      Array.isArray(avg) &&
      typeof ids === "object" &&
      ids !== null &&
      INDEXED_FIELDS.every((f) => Number.isInteger(ids[f]) && (avg[ids[f] as number] as number) > 0)
    );
  }

  /** A few of the index's own terms, scored both ways: any difference and MiniSearch answers. */
  private agreesWith(index: MiniSearch<IndexedDoc>): boolean {
    const terms: string[] = [];
    for (const [term] of this.state._index) {
      terms.push(term);
      if (terms.length === 3) break;
    }
    const weight = new Map(terms.map((t, i) => [t, 1 - i * 0.2]));
    const expected = miniSearchTop(index, terms, weight, 10);
    const got = this.top(terms, weight, 10);
    return (
      got.length === expected.length &&
      got.every((c, i) => c.id === expected[i]?.id && c.score === expected[i]?.score)
    );
  }

  /** Per indexed field: its id, boost and per-passage length norm. */
  private readonly fields: Array<{ id: number; boost: number; norm: Float64Array }> = [];
  /** Per passage (short id): score so far, distinct query terms matched, the current term's score. */
  private readonly total: Float64Array;
  private readonly matched: Uint16Array;
  private readonly termScore: Float64Array;
  /** Passages met so far, in the order MiniSearch first meets them (its order among ties), and this term's. */
  private readonly touched: Int32Array;
  private readonly inTerm: Int32Array;
  private readonly documentCount: number;
  private readonly size: number;

  private constructor(private readonly state: MiniSearchState) {
    this.documentCount = state._documentCount;
    this.size = state._nextId;
    // MiniSearch's order and defaults: the indexed fields in turn, an unboosted field at 1.
    for (const field of INDEXED_FIELDS) {
      const boost = FIELD_BOOST[field as keyof typeof FIELD_BOOST] || 1;
      const id = state._fieldIds[field] as number;
      const avg = state._avgFieldLength[id] as number;
      const norm = new Float64Array(this.size);
      // MiniSearch's BM25 length term, the same expression so the same double.
      for (const [doc, lengths] of state._fieldLength)
        norm[doc] = BM25.k * (1 - BM25.b + (BM25.b * (lengths[id] as number)) / avg);
      this.fields.push({ id, boost, norm });
    }
    this.total = new Float64Array(this.size);
    this.matched = new Uint16Array(this.size);
    this.termScore = new Float64Array(this.size);
    this.touched = new Int32Array(this.size);
    this.inTerm = new Int32Array(this.size);
  }

  private isFor(state: MiniSearchState): boolean {
    return state === this.state && state._nextId === this.size && state._documentCount === this.documentCount;
  }

  top(
    terms: readonly string[],
    weight: ReadonlyMap<string, number>,
    limit: number,
    filter?: (id: string) => boolean,
  ): Candidate[] {
    const { total, matched, termScore, touched, inTerm, documentCount } = this;
    const k1 = BM25.k + 1;
    const d = BM25.d;
    let met = 0;
    for (const term of terms) {
      const data = this.state._index.get(term);
      if (!data) continue;
      const termBoost = weight.get(term) ?? 1;
      let inThisTerm = 0;
      for (const field of this.fields) {
        const postings = data.get(field.id);
        if (!postings) continue;
        const n = postings.size;
        const idf = Math.log(1 + (documentCount - n + 0.5) / (n + 0.5));
        const w = termBoost * field.boost;
        const norm = field.norm;
        postings.forEach((tf, doc) => {
          const sofar = termScore[doc] as number;
          if (sofar === 0) inTerm[inThisTerm++] = doc;
          termScore[doc] = sofar + w * (idf * (d + (tf * k1) / (tf + (norm[doc] as number))));
        });
      }
      // MiniSearch sums a term's fields first, then adds the term to the passage's total.
      for (let i = 0; i < inThisTerm; i++) {
        const doc = inTerm[i] as number;
        if (matched[doc] === 0) touched[met++] = doc;
        total[doc] = (total[doc] as number) + (termScore[doc] as number);
        matched[doc] = (matched[doc] as number) + 1;
        termScore[doc] = 0;
      }
    }
    const best = new TopK(limit);
    let order = 0;
    try {
      for (; order < met; order++) {
        const doc = touched[order] as number;
        // MiniSearch multiplies by the number of query terms matched.
        const score = (total[doc] as number) * (matched[doc] as number);
        total[doc] = 0;
        matched[doc] = 0;
        if (filter && !filter(this.state._documentIds.get(doc) as string)) continue;
        best.offer(score, order);
      }
    } finally {
      // A filter that throws must not leave its scores to the next query.
      for (; order < met; order++) {
        total[touched[order] as number] = 0;
        matched[touched[order] as number] = 0;
      }
    }
    const out = new Array<Candidate>(best.size);
    best.drain((score, order, rank) => {
      out[rank] = { id: this.state._documentIds.get(touched[order] as number) as string, score };
    });
    return out;
  }
}

/**
 * The `k` best of a stream of (score, order) offered in increasing order: higher score first, and
 * earlier first among equal scores (a stable sort's order). A binary heap whose root is the worst kept.
 */
class TopK {
  private readonly scores: Float64Array;
  private readonly orders: Int32Array;
  private count = 0;

  /** How many entries are kept. */
  get size(): number {
    return this.count;
  }

  constructor(private readonly k: number) {
    this.scores = new Float64Array(Math.max(0, k));
    this.orders = new Int32Array(Math.max(0, k));
  }

  /** Whether entry `i` ranks below entry `j`. */
  private worse(i: number, j: number): boolean {
    const a = this.scores[i] as number;
    const b = this.scores[j] as number;
    return a < b || (a === b && (this.orders[i] as number) > (this.orders[j] as number));
  }

  private swap(i: number, j: number): void {
    const { scores, orders } = this;
    const s = scores[i] as number;
    scores[i] = scores[j] as number;
    scores[j] = s;
    const o = orders[i] as number;
    orders[i] = orders[j] as number;
    orders[j] = o;
  }

  offer(score: number, order: number): void {
    if (this.count < this.k) {
      let i = this.count++;
      this.scores[i] = score;
      this.orders[i] = order;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    // Offered in order, a newcomer never wins a tie against what is kept.
    if (this.k === 0 || !(score > (this.scores[0] as number))) return;
    this.scores[0] = score;
    this.orders[0] = order;
    this.siftDown();
  }

  /** Empties the heap, worst first, telling each entry's rank (0 for the best). */
  drain(take: (score: number, order: number, rank: number) => void): void {
    while (this.count > 0) {
      take(this.scores[0] as number, this.orders[0] as number, this.count - 1);
      this.count--;
      this.scores[0] = this.scores[this.count] as number;
      this.orders[0] = this.orders[this.count] as number;
      this.siftDown();
    }
  }

  private siftDown(): void {
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.count && this.worse(l, m)) m = l;
      if (r < this.count && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
}
