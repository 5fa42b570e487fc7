/**
 * Corrects misspelled query words against the corpus's own vocabulary ("reinforcment" → "reinforcement",
 * "telsa" → "tesla", "deepseek" → "deepseq" as the transcript spells it). Works on whole words, before
 * stemming: fuzzy matching on stems misses typos that change the stem ("educaton" is not near "educ").
 */
export class SpellingCorrector {
  private constructor(
    private readonly counts: ReadonlyMap<string, number>,
    private readonly trie: Trie,
  ) {}

  /** Word counts of a corpus, the form a snapshot stores. */
  static countWords(texts: Iterable<string>, tokenize: (text: string) => string[]): Array<[string, number]> {
    const counts = new Map<string, number>();
    for (const text of texts)
      for (const w of tokenize(text)) if (w.length >= 3) counts.set(w, (counts.get(w) ?? 0) + 1);
    return [...counts];
  }

  /** Builds the trie now: the engine creates a corrector on first use, or when a server warms up. */
  static fromCounts(counts: Iterable<[string, number]>): SpellingCorrector {
    const map = new Map(counts);
    return new SpellingCorrector(map, Trie.of(map.keys()));
  }

  has(word: string): boolean {
    return this.counts.has(word);
  }

  /**
   * The closest corpus words (most frequent first among equally close ones, then alphabetical), or
   * `[]` if none is close: one edit for words under 8 letters, two from 8 on, a swap of neighbouring
   * letters ("telsa") counting as one. Two edits must also be two by plain Levenshtein.
   */
  correct(word: string, max = 2): string[] {
    if (word.length < 4 || /\d/u.test(word)) return [];
    const allowed = word.length >= 8 ? 2 : 1;
    const found: Array<{ word: string; distance: number; count: number }> = [];
    this.trie.near(word, allowed, (candidate, distance) => {
      // A short word with another first letter is another word ("router" is not "outer"): typists
      // rarely miss the first letter, and a name misheard is matched by sound, not here.
      if (word.length < 8 && candidate[0] !== word[0]) return;
      if (distance > 0 && (distance < 2 || editDistance(word, candidate, { swaps: false }) <= 2))
        found.push({ word: candidate, distance, count: this.counts.get(candidate) ?? 0 });
    });
    found.sort((a, b) => a.distance - b.distance || b.count - a.count || (a.word < b.word ? -1 : 1));
    const best = found[0]?.distance;
    return found
      .filter((f) => f.distance === best)
      .slice(0, max)
      .map((f) => f.word);
  }
}

/**
 * The vocabulary as a trie in flat arrays (first child, next sibling), searched by edit distance with
 * one DP row per depth, pruned as soon as a row's minimum exceeds the budget. MiniSearch's
 * SearchableMap did this on a radix tree of Maps, allocating strings and iterators at every node;
 * this allocates nothing but the matches and is several times faster.
 */
class Trie {
  private constructor(
    /** UTF-16 code unit on the edge into each node (node 0 is the root). */
    private readonly chars: Uint16Array,
    private readonly firstChild: Int32Array,
    private readonly nextSibling: Int32Array,
    /** The word ending at each node, as an index into `words`, or -1. */
    private readonly wordAt: Int32Array,
    private readonly words: readonly string[],
  ) {}

  static of(vocabulary: Iterable<string>): Trie {
    const chars = [0];
    const firstChild = [-1];
    const nextSibling = [-1];
    const wordAt = [-1];
    const words: string[] = [];
    for (const word of vocabulary) {
      let node = 0;
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        let child = firstChild[node] as number;
        let last = -1;
        while (child !== -1 && chars[child] !== c) {
          last = child;
          child = nextSibling[child] as number;
        }
        if (child === -1) {
          child = chars.length;
          chars.push(c);
          firstChild.push(-1);
          nextSibling.push(-1);
          wordAt.push(-1);
          if (last === -1) firstChild[node] = child;
          else nextSibling[last] = child;
        }
        node = child;
      }
      if (wordAt[node] === -1) {
        wordAt[node] = words.length;
        words.push(word);
      }
    }
    return new Trie(
      Uint16Array.from(chars),
      Int32Array.from(firstChild),
      Int32Array.from(nextSibling),
      Int32Array.from(wordAt),
      words,
    );
  }

  /** Calls `found` with each word within `max` edits of `query` (a swap counts as one) and its distance. */
  near(query: string, max: number, found: (word: string, distance: number) => void): void {
    const cols = query.length + 1;
    const depth = query.length + max;
    // Row i: distances from the trie path's first i letters to each prefix of the query. Cells outside
    // the band |i - j| <= max are never written and keep max + 1, which is all the search needs to know.
    const rows = new Uint8Array((depth + 1) * cols).fill(max + 1);
    for (let j = 0; j < cols; j++) rows[j] = j;
    for (let i = 1; i <= depth; i++) rows[i * cols] = Math.min(i, 255);
    const path = new Uint16Array(depth + 1);
    const q = new Uint16Array(query.length);
    for (let j = 0; j < query.length; j++) q[j] = query.charCodeAt(j);
    const visit = (parent: number, i: number): void => {
      const row = i * cols;
      const up = row - cols;
      const upup = up - cols;
      const jmin = Math.max(1, i - max);
      const jmax = Math.min(cols - 1, i + max);
      for (
        let node = this.firstChild[parent] as number;
        node !== -1;
        node = this.nextSibling[node] as number
      ) {
        const c = this.chars[node] as number;
        path[i] = c;
        let least = rows[row] as number;
        for (let j = jmin; j <= jmax; j++) {
          const qj = q[j - 1] as number;
          let d = Math.min(
            (rows[up + j - 1] as number) + (c === qj ? 0 : 1),
            (rows[up + j] as number) + 1,
            (rows[row + j - 1] as number) + 1,
          );
          if (i > 1 && j > 1 && c === q[j - 2] && path[i - 1] === qj)
            d = Math.min(d, (rows[upup + j - 2] as number) + 1);
          rows[row + j] = d;
          if (d < least) least = d;
        }
        // A row's minimum never decreases further down (a swap costs at least what a substitution
        // before it did), so nothing below this node can come within `max`.
        if (least > max) continue;
        const w = this.wordAt[node] as number;
        const distance = rows[row + cols - 1] as number;
        if (w !== -1 && distance <= max) found(this.words[w] as string, distance);
        if (i < depth) visit(node, i + 1);
      }
    };
    visit(0, 1);
  }
}

/**
 * Optimal string alignment distance: Levenshtein plus adjacent transpositions as one edit, or plain
 * Levenshtein with `swaps: false`.
 */
export function editDistance(a: string, b: string, { swaps = true } = {}): number {
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
      if (swaps && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
