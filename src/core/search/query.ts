import { tokenize, toTerm } from "./analyze.js";
import type { SpellingCorrector } from "./spelling.js";
import { expandSynonyms } from "./synonyms.js";

/** Weights of the ways a term can enter a query: typed, spell-corrected, or a synonym of a typed term. */
export const TERM_WEIGHT = { typed: 1, corrected: 0.8, synonym: 0.45 } as const;

/** One word the user typed: the index terms that stand for it, each with its weight. */
export interface QuerySlot {
  word: string;
  terms: Array<{ term: string; weight: number }>;
}

export interface AnalyzedQuery {
  /** One per content word of the query, in order (stop words dropped). */
  slots: QuerySlot[];
  /** Synonym terms for the whole query. */
  synonyms: string[];
}

/** Turns a query into weighted index terms: stems of the words, spelling fixes for unknown words, synonyms. */
export function analyzeQuery(
  text: string,
  spelling: SpellingCorrector,
  known: (term: string) => boolean,
): AnalyzedQuery {
  const slots: QuerySlot[] = [];
  for (const word of tokenize(text)) {
    const term = toTerm(word);
    if (!term) continue;
    const slot: QuerySlot = { word, terms: [{ term, weight: TERM_WEIGHT.typed }] };
    if (!known(term) && !spelling.has(word)) {
      for (const fixed of spelling.correct(word)) {
        const t = toTerm(fixed);
        if (t && t !== term) slot.terms.push({ term: t, weight: TERM_WEIGHT.corrected });
      }
    }
    slots.push(slot);
  }
  const typed = slots.flatMap((s) => s.terms.map((t) => t.term));
  return { slots, synonyms: expandSynonyms(typed) };
}
