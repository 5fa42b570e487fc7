import type { Passage } from "./passages.js";
import { shingles, tokenize } from "./text.js";

/** Share of the smaller passage's word 3-grams found in the other, above which two passages are one. */
export const DUPLICATE_CONTAINMENT = 0.5;

/**
 * Finds passages that say the same thing: the same moment in two transcripts of one talk, or a
 * podcast's cold open replaying a later answer, two overlapping windows of one answer. Returns, per
 * passage id, its duplicates and how much of the smaller one they share (0.5–1).
 */
export function findDuplicates(passages: readonly Passage[]): Map<string, Map<string, number>> {
  const grams = passages.map((p) => new Set(shingles(tokenize(p.text), 3)));
  const postings = new Map<string, number[]>();
  grams.forEach((set, i) => {
    for (const g of set) {
      const list = postings.get(g);
      if (list) list.push(i);
      else postings.set(g, [i]);
    }
  });
  const dupes = new Map<string, Map<string, number>>();
  grams.forEach((set, i) => {
    const shared = new Map<number, number>();
    for (const g of set)
      for (const j of postings.get(g) ?? []) if (j !== i) shared.set(j, (shared.get(j) ?? 0) + 1);
    for (const [j, n] of shared) {
      const smaller = Math.min(set.size, grams[j]?.size ?? 0);
      if (smaller > 0 && n / smaller >= DUPLICATE_CONTAINMENT) {
        const a = passages[i]?.id as string;
        const b = passages[j]?.id as string;
        if (!dupes.has(a)) dupes.set(a, new Map());
        dupes.get(a)?.set(b, n / smaller);
      }
    }
  });
  return dupes;
}
