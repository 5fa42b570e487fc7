import type { Sentence } from "../corpus/sentences.js";
import { shingles, tokenize } from "../text.js";

/** Word 3-grams: long enough to be specific, short enough to survive two transcribers' differences. */
const SHINGLE = 3;

/**
 * What a second transcript of the same conversation says about who spoke a sentence: each 3-word
 * shingle that occurs in exactly one attributed sentence of the twin votes for that sentence's speaker.
 */
export class TwinEvidence {
  private readonly owner = new Map<string, string | null>();

  /**
   * `unknownAs`: when set, sentences of no known speaker vote under this name instead of being
   * ignored, so a quote can be checked against a transcript that calls that stretch unclear.
   */
  constructor(sentences: readonly Sentence[], speakers: readonly (string | null)[], unknownAs?: string) {
    const seen = new Set<string>();
    sentences.forEach((s, i) => {
      const speaker = speakers[i] ?? unknownAs;
      if (s.role !== "speech" || !speaker) return;
      for (const g of new Set(shingles(tokenize(s.text), SHINGLE))) {
        // A shingle seen twice is no evidence of where we are; forget it.
        if (seen.has(g)) this.owner.set(g, null);
        else this.owner.set(g, speaker);
        seen.add(g);
      }
    });
  }

  /** Speaker votes for a sentence: how many of its unique shingles each twin speaker owns. */
  votes(text: string): Map<string, number> {
    const votes = new Map<string, number>();
    for (const g of new Set(shingles(tokenize(text), SHINGLE))) {
      const who = this.owner.get(g);
      if (who) votes.set(who, (votes.get(who) ?? 0) + 1);
    }
    return votes;
  }

  /** The speaker most votes agree on, when at least `minVotes` and `share` of them do. */
  verdict(text: string, minVotes = 2, share = 0.8): string | null {
    const votes = this.votes(text);
    let total = 0;
    let best: [string, number] | null = null;
    for (const [who, n] of votes) {
      total += n;
      if (!best || n > best[1]) best = [who, n];
    }
    if (!best || best[1] < minVotes || best[1] < share * total) return null;
    return best[0];
  }
}
