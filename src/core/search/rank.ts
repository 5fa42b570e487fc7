import type { SearchResult } from "minisearch";

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
}

export interface RankOptions {
  /** Inverse document frequency of a term over the quote texts. */
  idf: (term: string) => number;
  /** Below this coverage a result is noise, not an answer. */
  minCoverage: number;
}

/**
 * Second stage: re-scores MiniSearch's candidates by how much of the query they cover (a passage
 * matching three of three terms beats one matching a rare term thrice) and by phrase proximity (query
 * terms next to each other in the quote), then drops what falls under the relevance floor.
 */
export function rerank(
  candidates: readonly SearchResult[],
  queryTerms: readonly string[],
  passage: (id: string) => RankablePassage | undefined,
  { idf, minCoverage }: RankOptions,
): Ranked[] {
  const distinct = [...new Set(queryTerms)];
  const totalIdf = distinct.reduce((n, t) => n + idf(t), 0) || 1;
  const top = candidates[0]?.score ?? 1;
  const out: Ranked[] = [];
  for (const c of candidates) {
    const p = passage(c.id);
    if (!p) continue;
    let covered = 0;
    let fuzzyCovered = 0;
    for (const t of distinct) {
      if (p.termSet.has(t)) covered += idf(t);
      else if (p.promptSet.has(t)) covered += 0.6 * idf(t);
      else if (c.queryTerms.includes(t)) fuzzyCovered += idf(t);
    }
    const coverage = (covered + 0.5 * fuzzyCovered) / totalIdf;
    const matched = covered + 0.5 * fuzzyCovered;
    if (coverage < minCoverage) continue;
    const phrase = phraseHits(p.terms, distinct.length > 1 ? queryTerms : []);
    const score = (c.score / top) * (0.35 + coverage) * (1 + 0.2 * Math.min(phrase, 3));
    out.push({ id: c.id, score, coverage, matched });
  }
  return out.sort((a, b) => b.score - a.score);
}

/** Pairs of consecutive query terms that also stand within two words of each other in the passage. */
function phraseHits(passageTerms: readonly string[], queryTerms: readonly string[]): number {
  if (queryTerms.length < 2) return 0;
  const positions = new Map<string, number[]>();
  passageTerms.forEach((t, i) => {
    const list = positions.get(t);
    if (list) list.push(i);
    else positions.set(t, [i]);
  });
  let hits = 0;
  for (let i = 0; i + 1 < queryTerms.length; i++) {
    const a = positions.get(queryTerms[i] as string);
    const b = positions.get(queryTerms[i + 1] as string);
    if (a && b && a.some((x) => b.some((y) => y > x && y - x <= 2))) hits++;
  }
  return hits;
}
