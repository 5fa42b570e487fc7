import type { Candidate } from "./index.js";
import { type AnalyzedQuery, type QuerySlot, TERM_WEIGHT } from "./query.js";

/** What the ranker knows of a passage beyond MiniSearch's score. */
export interface RankablePassage {
  /** Index terms of the quote text, in order. */
  terms: readonly string[];
  termSet: ReadonlySet<string>;
  promptSet: ReadonlySet<string>;
}

export interface Ranked {
  id: string;
  score: number;
  /** Share of the query's information (IDF mass) the passage or its prompt matches exactly. */
  coverage: number;
  /** The IDF mass itself: how much specific information the passage matches. */
  matched: number;
  /**
   * How many query words the passage matches more strongly than through a synonym in its text: what
   * the relevance floor counts. "Best pizza in new york" meeting "best" and a synonym of "new" is one
   * word's worth of evidence, not two.
   */
  terms: number;
}

export interface RankOptions {
  /** Inverse document frequency of a term over the quote texts. */
  idf: (term: string) => number;
  floor: RelevanceFloor;
  /** Everyday terms that are no topic of the corpus: a passage must match the query in another one. */
  background: (term: string) => boolean;
}

/**
 * When a result is an answer rather than noise. An off-topic query ("best pizza in naples") tends to
 * hit one incidental word per passage; a real one, however loosely worded, hits two or more words of
 * the same passage, or one word that carries most of the query.
 */
export interface RelevanceFloor {
  /** Coverage needed when a passage matches a single query word. */
  single: number;
  /** Coverage needed when it matches two or more. */
  multiple: number;
}

/** How the second stage blends MiniSearch's score, coverage and phrase proximity. */
export const RANK_WEIGHTS = { base: 0.35, phrase: 0.2 } as const;

export const DEFAULT_FLOOR: RelevanceFloor = { single: 0.5, multiple: 0.15 };

/**
 * Second stage: re-scores MiniSearch's candidates by how much of the query they cover (a passage
 * matching three of three terms beats one matching a rare term thrice) and by phrase proximity (query
 * terms next to each other in the quote), then drops what falls under the relevance floor.
 */
export function rerank(
  candidates: readonly Candidate[],
  query: AnalyzedQuery,
  passage: (id: string) => RankablePassage | undefined,
  { idf, floor, background }: RankOptions,
): Ranked[] {
  const slots = query.slots;
  const slotIdf = slots.map((s) => idf(s.terms[0]?.term ?? "") * (s.share ?? 1));
  const totalIdf = slotIdf.reduce((n, x) => n + x, 0) || 1;
  const top = candidates[0]?.score ?? 1;
  const out: Ranked[] = [];
  // Per slot, the term the passage matches in full (typed, in its text), else null; reused.
  const hitTerms: Array<string | null> = slots.map(() => null);
  for (const c of candidates) {
    const p = passage(c.id);
    if (!p) continue;
    let matched = 0;
    let terms = 0;
    let topical = false;
    for (let i = 0; i < slots.length; i++) {
      let best = 0;
      let hit: string | null = null;
      for (const { term, weight } of (slots[i] as QuerySlot).terms) {
        const field = p.termSet.has(term) ? 1 : p.promptSet.has(term) ? 0.6 : 0;
        if (field * weight > best) {
          best = field * weight;
          hit = term;
        }
      }
      hitTerms[i] = best >= 1 ? hit : null;
      if (best > TERM_WEIGHT.synonym) terms++;
      if (hit && !background(hit)) topical = true;
      matched += best * (slotIdf[i] ?? 0);
    }
    const coverage = matched / totalIdf;
    if (!topical || coverage < (terms >= 2 ? floor.multiple : floor.single)) continue;
    const phrase = phraseHits(p.terms, hitTerms);
    const score =
      (c.score / top) * (RANK_WEIGHTS.base + coverage) * (1 + RANK_WEIGHTS.phrase * Math.min(phrase, 3));
    out.push({ id: c.id, score, coverage, matched, terms });
  }
  return out.sort((a, b) => b.score - a.score);
}

/**
 * Pairs of consecutive query terms that also stand within two words of each other in the passage
 * (the second after the first). One scan per pair, no position tables: this runs for every candidate.
 */
function phraseHits(passageTerms: readonly string[], queryTerms: ReadonlyArray<string | null>): number {
  let hits = 0;
  for (let i = 0; i + 1 < queryTerms.length; i++) {
    const a = queryTerms[i];
    const b = queryTerms[i + 1];
    if (!a || !b) continue;
    // The last position of `a` before the current one.
    let lastA = -3;
    for (let j = 0; j < passageTerms.length; j++) {
      const t = passageTerms[j];
      if (t === b && j - lastA <= 2) {
        hits++;
        break;
      }
      if (t === a) lastA = j;
    }
  }
  return hits;
}
