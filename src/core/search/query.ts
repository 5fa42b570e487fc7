import { tokenize } from "../text.js";
import type { Analyzer } from "./analyze.js";
import type { SpellingCorrector } from "./spelling.js";
import type { Synonyms } from "./synonyms.js";

/** Weights of the ways a term can enter a query: typed, spell-corrected, completing the word being typed, or a synonym. */
export const TERM_WEIGHT = { typed: 1, corrected: 0.8, prefix: 0.6, synonym: 0.45 } as const;

/** How many completions of the word being typed are searched (the most frequent ones). */
export const PREFIX_EXPANSIONS = 8;

/** One word the user typed: the index terms that stand for it, each with its weight. */
export interface QuerySlot {
  word: string;
  terms: Array<{ term: string; weight: number }>;
}

export interface AnalyzedQuery {
  /** One per content word of the query, in order (stop words dropped), with its synonyms. */
  slots: QuerySlot[];
}

/** What query analysis needs to know of the index: how it analysed words, and its vocabulary. */
export interface Vocabulary {
  analyzer: Analyzer;
  synonyms: Synonyms;
  spelling: SpellingCorrector;
  /** Whether a term is in the index. */
  known: (term: string) => boolean;
  /** The index's most frequent terms that start with `prefix`. */
  completions: (prefix: string, max: number) => string[];
}

/**
 * Turns a query into weighted index terms: stems of the words, spelling fixes for unknown words,
 * synonyms, and, when the user is still typing (`prefixLast`), completions of the last word.
 */
export function analyzeQuery(
  text: string,
  vocabulary: Vocabulary,
  { prefixLast = false } = {},
): AnalyzedQuery {
  const { known, synonyms } = vocabulary;
  const { toTerm } = vocabulary.analyzer;
  const slots: QuerySlot[] = [];
  const words = tokenize(text);
  words.forEach((word, i) => {
    const term = toTerm(word);
    if (prefixLast && i === words.length - 1 && word.length >= 2) {
      const slot: QuerySlot = { word, terms: [] };
      if (term && known(term)) slot.terms.push({ term, weight: TERM_WEIGHT.typed });
      for (const t of vocabulary.completions(word, PREFIX_EXPANSIONS))
        if (!slot.terms.some((x) => x.term === t)) slot.terms.push({ term: t, weight: TERM_WEIGHT.prefix });
      if (slot.terms.length) slots.push(slot);
      return;
    }
    if (!term) return;
    const slot: QuerySlot = { word, terms: [{ term, weight: TERM_WEIGHT.typed }] };
    if (!known(term) && !synonyms.has(term) && !vocabulary.spelling.has(word)) {
      for (const fixed of vocabulary.spelling.correct(word)) {
        const t = toTerm(fixed);
        if (t && !slot.terms.some((x) => x.term === t))
          slot.terms.push({ term: t, weight: TERM_WEIGHT.corrected });
      }
    }
    slots.push(slot);
  });
  // A synonym stands in for the word it expands: it counts towards covering that word.
  const typed = slots.map((s) => s.terms[0]?.term ?? "");
  synonyms.at(typed).forEach((expansions, i) => {
    const slot = slots[i] as QuerySlot;
    for (const t of expansions)
      if (!slot.terms.some((x) => x.term === t)) slot.terms.push({ term: t, weight: TERM_WEIGHT.synonym });
  });
  return { slots };
}
