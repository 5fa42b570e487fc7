import type { AsPlainObject } from "minisearch";
import { decodeBase64, encodeBase64 } from "../base64.js";
import { BM25, type Candidate, FIELD_BOOST, INDEXED_FIELDS } from "./index.js";

/**
 * MiniSearch's index (built by `buildIndex`), as the engine keeps it at run time: per field, every
 * term's postings in flat typed arrays (CSR), travelling in the snapshot as base64. Restoring
 * MiniSearch itself (`loadJS`) makes a Map per term and field and an entry per posting: on a 100×
 * corpus that was 3 s of every start and most of the heap. Here a posting is 6 bytes, restored
 * without parsing one number, and scored the way MiniSearch's OR search scores it (same operations
 * in the same order, so the same floating-point scores and the same order among ties: the retrieve
 * tests compare the two on random indexes).
 */
export interface EncodedPostings {
  documentCount: number;
  /** Passage ids by MiniSearch's short id. */
  ids: string[];
  /** The vocabulary; a term's number is its position. */
  terms: string[];
  /** Per field of INDEXED_FIELDS, in that order. */
  fields: Array<{
    /** MiniSearch's average length of the field. */
    average: number;
    /** Per passage: the field's length in terms (Uint16). */
    lengths: string;
    /** `terms + 1` offsets: term t's postings are at offsets[t] … offsets[t + 1] (Int32). */
    offsets: string;
    /** Passages holding the term, in increasing short id: a loaded MiniSearch's order (Int32). */
    docs: string;
    /** How often the term occurs in each (Uint16). */
    counts: string;
  }>;
}

interface Field {
  boost: number;
  /** Per passage: BM25's length term, MiniSearch's expression so the same double. */
  norm: Float64Array;
  offsets: Int32Array;
  docs: Int32Array;
  counts: Uint16Array;
}

export class Postings {
  private readonly termId: Map<string, number>;
  private readonly fields: Field[];
  /** Per passage (short id): score so far, distinct query terms matched, the current term's score. */
  private readonly total: Float64Array;
  private readonly matched: Uint16Array;
  private readonly termScore: Float64Array;
  /** Passages met so far, in the order MiniSearch first meets them (its order among ties), and this term's. */
  private readonly touched: Int32Array;
  private readonly inTerm: Int32Array;
  private readonly documentCount: number;
  private readonly ids: readonly string[];

  private constructor(encoded: EncodedPostings) {
    const { ids, terms } = encoded;
    if (encoded.fields.length !== INDEXED_FIELDS.length)
      throw new Error("index: the snapshot's fields are not the indexed fields");
    this.ids = ids;
    this.documentCount = encoded.documentCount;
    this.termId = new Map(terms.map((t, i) => [t, i]));
    this.fields = encoded.fields.map((f, i) => {
      const lengths = new Uint16Array(decodeBase64(f.lengths));
      const offsets = new Int32Array(decodeBase64(f.offsets));
      const docs = new Int32Array(decodeBase64(f.docs));
      const counts = new Uint16Array(decodeBase64(f.counts));
      if (
        lengths.length !== ids.length ||
        offsets.length !== terms.length + 1 ||
        docs.length !== counts.length
      )
        throw new Error("index: the snapshot's postings do not match its terms");
      const norm = new Float64Array(ids.length);
      for (let d = 0; d < ids.length; d++)
        norm[d] = BM25.k * (1 - BM25.b + (BM25.b * (lengths[d] as number)) / f.average);
      const field = INDEXED_FIELDS[i] as (typeof INDEXED_FIELDS)[number];
      // MiniSearch's default for an unboosted field is 1.
      return { boost: FIELD_BOOST[field] || 1, norm, offsets, docs, counts };
    });
    const size = ids.length;
    this.total = new Float64Array(size);
    this.matched = new Uint16Array(size);
    this.termScore = new Float64Array(size);
    this.touched = new Int32Array(size);
    this.inTerm = new Int32Array(size);
  }

  /** The postings of a MiniSearch index with the INDEXED_FIELDS, from its plain-object form. */
  static encode(index: AsPlainObject): EncodedPostings {
    const ids = Array.from({ length: index.nextId }, (_, d) => String(index.documentIds[d] ?? ""));
    if (ids.some((id) => !id) || (index.dirtCount ?? 0) > 0)
      throw new Error("index: an index with discarded passages cannot be encoded");
    const terms = index.index.map(([term]) => term);
    const fields = INDEXED_FIELDS.map((name) => {
      const fieldId = index.fieldIds[name] as number;
      const lengths = Uint16Array.from(ids, (_, d) => index.fieldLength[d]?.[fieldId] ?? 0);
      const offsets = new Int32Array(terms.length + 1);
      const docs: number[] = [];
      const counts: number[] = [];
      index.index.forEach(([, byField], t) => {
        // Numeric keys: JavaScript lists them in increasing order, as loadJS restores them.
        for (const [doc, count] of Object.entries(byField[fieldId] ?? {})) {
          docs.push(Number(doc));
          counts.push(count);
        }
        offsets[t + 1] = docs.length;
      });
      return {
        average: index.averageFieldLength[fieldId] as number,
        lengths: encodeBase64(lengths),
        offsets: encodeBase64(offsets),
        docs: encodeBase64(Int32Array.from(docs)),
        counts: encodeBase64(Uint16Array.from(counts)),
      };
    });
    return { documentCount: index.documentCount, ids, terms, fields };
  }

  static decode(encoded: EncodedPostings): Postings {
    return new Postings(encoded);
  }

  /** MiniSearch's OR search over `terms`, each boosted by its weight: the best `limit`, best first. */
  top(
    terms: readonly string[],
    weight: ReadonlyMap<string, number>,
    limit: number,
    filter?: (id: string) => boolean,
  ): Candidate[] {
    const { total, matched, termScore, touched, inTerm, documentCount, ids } = this;
    const k1 = BM25.k + 1;
    const d = BM25.d;
    let met = 0;
    for (const term of terms) {
      const t = this.termId.get(term);
      if (t === undefined) continue;
      const termBoost = weight.get(term) ?? 1;
      let inThisTerm = 0;
      for (const field of this.fields) {
        const start = field.offsets[t] as number;
        const end = field.offsets[t + 1] as number;
        const n = end - start;
        if (n === 0) continue;
        const idf = Math.log(1 + (documentCount - n + 0.5) / (n + 0.5));
        const w = termBoost * field.boost;
        const { norm, docs, counts } = field;
        for (let k = start; k < end; k++) {
          const doc = docs[k] as number;
          const tf = counts[k] as number;
          const sofar = termScore[doc] as number;
          if (sofar === 0) inTerm[inThisTerm++] = doc;
          termScore[doc] = sofar + w * (idf * (d + (tf * k1) / (tf + (norm[doc] as number))));
        }
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
        if (filter && !filter(ids[doc] as string)) continue;
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
      out[rank] = { id: ids[touched[order] as number] as string, score };
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
