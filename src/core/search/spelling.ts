import SearchableMap from "minisearch/SearchableMap";

/**
 * Corrects misspelled query words against the corpus's own vocabulary ("reinforcment" → "reinforcement",
 * "telsa" → "tesla", "deepseek" → "deepseq" as the transcript spells it). Works on whole words, before
 * stemming: fuzzy matching on stems misses typos that change the stem ("educaton" is not near "educ").
 */
export class SpellingCorrector {
  private readonly words = new SearchableMap<number>();

  /** Word counts of a corpus, the form a snapshot stores. */
  static countWords(texts: Iterable<string>, tokenize: (text: string) => string[]): Array<[string, number]> {
    const counts = new Map<string, number>();
    for (const text of texts)
      for (const w of tokenize(text)) if (w.length >= 3) counts.set(w, (counts.get(w) ?? 0) + 1);
    return [...counts];
  }

  static fromCounts(counts: Iterable<[string, number]>): SpellingCorrector {
    const c = new SpellingCorrector();
    for (const [w, n] of counts) c.words.set(w, n);
    return c;
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  /** The closest corpus words (most frequent first among equally close ones), or `[]` if none is close. */
  correct(word: string, max = 2): string[] {
    if (word.length < 4 || /\d/u.test(word)) return [];
    const allowed = word.length >= 8 ? 2 : 1;
    // Levenshtein counts a swap ("telsa") as two edits; fetch at 2, then judge with swaps as one.
    const found: Array<{ word: string; distance: number; count: number }> = [];
    for (const [candidate, [count]] of this.words.fuzzyGet(word, 2)) {
      const distance = editDistance(word, candidate);
      if (distance > 0 && distance <= allowed) found.push({ word: candidate, distance, count });
    }
    found.sort((a, b) => a.distance - b.distance || b.count - a.count);
    const best = found[0]?.distance;
    return found
      .filter((f) => f.distance === best)
      .slice(0, max)
      .map((f) => f.word);
  }
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
