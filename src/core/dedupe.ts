import type { Passage } from "./passages.js";
import { shingles, tokenize } from "./text.js";

/** Share of the smaller passage's word 3-grams found in the other, above which two passages are one. */
export const DUPLICATE_CONTAINMENT = 0.5;

/**
 * Consecutive word 3-grams of one passage found in another that make them one even below that share:
 * a shared run of ten words is the same sentence shown twice (a blog quote that spans two transcript
 * passages shares less than half with each, but every sentence of it with one of them).
 */
export const SHARED_RUN = 8;

/** The longest run of consecutive 3-grams of `sequence` that `other` also has. */
function longestSharedRun(sequence: readonly string[], other: ReadonlySet<string>): number {
  let best = 0;
  let run = 0;
  for (const g of sequence) {
    run = other.has(g) ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/**
 * Finds passages that say the same thing: the same moment in two transcripts of one talk, or a
 * podcast's cold open replaying a later answer, two overlapping windows of one answer. Returns, per
 * passage id, its duplicates and how much of the smaller one they share (0–1).
 */
export function findDuplicates(passages: readonly Passage[]): Map<string, Map<string, number>> {
  const sequences = passages.map((p) => shingles(tokenize(p.text), 3));
  const grams = sequences.map((seq) => new Set(seq));
  const postings = new Map<string, number[]>();
  grams.forEach((set, i) => {
    for (const g of set) {
      const list = postings.get(g);
      if (list) list.push(i);
      else postings.set(g, [i]);
    }
  });
  const dupes = new Map<string, Map<string, number>>();
  const join = (i: number, j: number, share: number) => {
    const a = passages[i]?.id as string;
    if (!dupes.has(a)) dupes.set(a, new Map());
    dupes.get(a)?.set(passages[j]?.id as string, share);
  };
  const sourceOf = (i: number) => passages[i]?.sourceId;
  /** Per passage, its twins by containment (indices). */
  const twins = passages.map((): number[] => []);
  const runCandidates: Array<[number, number, number]> = [];
  grams.forEach((set, i) => {
    const shared = new Map<number, number>();
    for (const g of set)
      for (const j of postings.get(g) ?? []) if (j !== i) shared.set(j, (shared.get(j) ?? 0) + 1);
    for (const [j, n] of shared) {
      const smaller = Math.min(set.size, grams[j]?.size ?? 0);
      if (smaller === 0) continue;
      if (n / smaller >= DUPLICATE_CONTAINMENT) {
        join(i, j, n / smaller);
        twins[i]?.push(j);
      } else if (n >= SHARED_RUN && sourceOf(i) !== sourceOf(j)) runCandidates.push([i, j, n / smaller]);
    }
  });
  // A passage whose twin in the other source is elsewhere, not next to `j`: a stock phrase said at
  // two moments ("all the different nooks and crannies of the economy"), not one passage cut twice.
  const twinElsewhere = (i: number, j: number) => {
    const there = (twins[i] ?? []).filter((k) => sourceOf(k) === sourceOf(j));
    const n = passages[j]?.n ?? 0;
    return there.length > 0 && !there.some((k) => Math.abs((passages[k]?.n ?? 0) - n) === 1);
  };
  // Across transcripts only: within one, passages never overlap, and a phrase said twice is said twice.
  for (const [i, j, share] of runCandidates) {
    if (twinElsewhere(i, j) || twinElsewhere(j, i)) continue;
    if (longestSharedRun(sequences[i] ?? [], grams[j] ?? new Set()) >= SHARED_RUN) join(i, j, share);
  }
  return dupes;
}
