import { tokenize } from "../text.js";
import type { Analyzer } from "./analyze.js";
import type { SoundIndex } from "./lexicon.js";
import type { SpellingCorrector } from "./spelling.js";
import type { Synonyms } from "./synonyms.js";

/**
 * Weights of the ways a term can enter a query: typed (or a transcript's spelling of the name typed),
 * spell-corrected or matched by sound, a half of a compound ("instructgpt"), completing the last
 * word, or a synonym. A synonym alone reaches the single-word relevance floor (0.5): "driverless"
 * finds "self-driving".
 */
export const TERM_WEIGHT = { typed: 1, corrected: 0.8, split: 0.7, prefix: 0.6, synonym: 0.5 } as const;

/** The information share of a word that is neither the corpus's nor everyday English. */
export const STRANGER_SHARE = 0.25;

/** How many completions of the word being typed are searched (the most frequent ones). */
export const PREFIX_EXPANSIONS = 8;

/** One word the user typed: the index terms that stand for it, each with its weight. */
export interface QuerySlot {
  word: string;
  terms: Array<{ term: string; weight: number }>;
  /**
   * The share of its information the word keeps in the query (1 when absent). A word the corpus never
   * says and nothing corrected, if it is not everyday English (a surname the transcript leaves out, a
   * model number), tells nothing about which passage is meant: it must not veto one. An everyday word
   * the corpus lacks ("pizza") keeps its full share, unless a name anchors the query: it says the
   * query is about something else.
   */
  share?: number;
  /** The corpus word a misspelled or misheard word was taken for ("Showing results for …"). */
  correctedTo?: string;
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
  /** Whether a word is everyday English (it is never corrected into a corpus word). */
  common: (word: string) => boolean;
  sounds: SoundIndex;
  /** Whether a term is in the index. */
  known: (term: string) => boolean;
  /** The index's most frequent terms that start with `prefix`. */
  completions: (prefix: string, max: number) => string[];
  /** How many quotes hold term `a` right before term `b` ("instruct gpt"). */
  adjacent: (a: string, b: string) => number;
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
    const last = i === words.length - 1;
    const slot: QuerySlot = { word, terms: [] };
    const add = (t: string | null, weight: number) => {
      if (t && !slot.terms.some((x) => x.term === t)) slot.terms.push({ term: t, weight });
    };
    if (prefixLast && last && word.length >= 2) {
      if (term && known(term)) add(term, TERM_WEIGHT.typed);
      for (const t of vocabulary.completions(word, PREFIX_EXPANSIONS)) add(t, TERM_WEIGHT.prefix);
      if (slot.terms.length) slots.push(slot);
      return;
    }
    if (!term) return;
    add(term, TERM_WEIGHT.typed);
    for (const spelled of synonyms.spellingsOf(term))
      for (const t of spelled) add(t, spelled.length === 1 ? TERM_WEIGHT.typed : TERM_WEIGHT.split);
    // Enter on a half-typed last word ("decade of ag") means what autocomplete showed for it: its
    // completions. A short word may be half-typed even when it is a term ("ag" is the stem of "age").
    if (last && word.length >= 2 && !synonyms.has(term) && (!known(term) || word.length <= 3))
      for (const t of vocabulary.completions(word, PREFIX_EXPANSIONS)) add(t, TERM_WEIGHT.prefix);
    if (!known(term) && !synonyms.has(term) && slot.terms.length === 1) correct(word, slot, vocabulary, add);
    slots.push(slot);
  });
  // A synonym stands in for the word it expands: it counts towards covering that word.
  const typed = slots.map((s) => s.terms[0]?.term ?? "");
  synonyms.at(typed).forEach((expansions, i) => {
    const slot = slots[i] as QuerySlot;
    for (const t of expansions)
      if (!slot.terms.some((x) => x.term === t)) slot.terms.push({ term: t, weight: TERM_WEIGHT.synonym });
  });
  // A query anchored by a word of the corpus that is not everyday English (a name, jargon) is about
  // that: an everyday word beside it that the corpus lacks ("tesla inc", "jensen ceo") is a detail.
  // Asked only when a word is unknown: the everyday-word list is in the extras, which a query of known
  // words never loads.
  const isKnown = (s: QuerySlot) => s.terms.some((t) => known(t.term));
  const strangers = slots.filter((s) => !isKnown(s));
  const anchored = strangers.length > 0 && slots.some((s) => isKnown(s) && !vocabulary.common(s.word));
  for (const slot of strangers) if (anchored || !vocabulary.common(slot.word)) slot.share = STRANGER_SHARE;
  return { slots };
}

/**
 * A word the index lacks, taken for a corpus word when that is likely: a close misspelling, a name as
 * the transcript heard it (by sound), or a compound a quote writes as two words. Everyday
 * English words are left alone: "bold" is not a typo of "old".
 */
function correct(
  word: string,
  slot: QuerySlot,
  vocabulary: Vocabulary,
  add: (term: string | null, weight: number) => void,
): void {
  const { spelling } = vocabulary;
  const { toTerm } = vocabulary.analyzer;
  const derived = derivations(word)
    .map(toTerm)
    .filter((t): t is string => t !== null && vocabulary.known(t));
  if (derived.length) {
    for (const t of derived) add(t, TERM_WEIGHT.typed);
    return;
  }
  if (spelling.has(word) || vocabulary.common(word)) return;
  const fixed = spelling.correct(word);
  const heard = fixed.length ? [] : vocabulary.sounds.match(word);
  for (const w of [...fixed, ...heard]) add(toTerm(w), TERM_WEIGHT.corrected);
  const first = fixed[0] ?? heard[0];
  if (first) {
    slot.correctedTo = first;
    return;
  }
  for (let at = 3; at <= word.length - 3; at++) {
    const a = toTerm(word.slice(0, at));
    const b = toTerm(word.slice(at));
    // A name or jargon written as one word ("instructgpt") has a half of its own; two everyday halves
    // are a compound of ours when the quotes say them together repeatedly ("selfdriving"), else
    // more likely a stranger's identifier ("useeffect": "use" and "effect" meet by chance).
    const everyday = vocabulary.common(word.slice(0, at)) && vocabulary.common(word.slice(at));
    if (a && b && vocabulary.adjacent(a, b) >= (everyday ? 3 : 1)) {
      add(a, TERM_WEIGHT.split);
      add(b, TERM_WEIGHT.split);
      slot.correctedTo = `${word.slice(0, at)} ${word.slice(at)}`;
      return;
    }
  }
}

/** Derivational suffixes Porter's stemmer keeps ("scalable" → "scalabl", never "scale"), longest first. */
const SUFFIXES = [
  "ability",
  "ibility",
  "ization",
  "isation",
  "ational",
  "ation",
  "ively",
  "able",
  "ible",
  "ment",
  "ness",
  "ally",
  "ity",
  "ive",
  "ful",
  "ist",
  "ism",
  "al",
];

/** Written-out multipliers of "1b", "10k"…: the transcripts say the words. */
const MULTIPLIERS: Record<string, string> = {
  k: "thousand",
  m: "million",
  b: "billion",
  bn: "billion",
  t: "trillion",
};

/**
 * Other forms of a word the index may hold: British spelling in American ("optimiser" →
 * "optimizer"), the base of a derivation ("scalable" → "scale"), a number's written multiplier
 * ("1b" → "billion"). Only words known to the index are then used.
 */
export function derivations(word: string): string[] {
  const out: string[] = [];
  const number = /^\d+(k|m|bn|b|t)$/u.exec(word);
  if (number) out.push(MULTIPLIERS[number[1] as string] as string);
  const american = word.replace(/is(e|es|ed|ing|er|ers|ation|ations)$/u, "iz$1");
  if (american !== word) out.push(american);
  for (const suffix of SUFFIXES) {
    if (!word.endsWith(suffix) || word.length - suffix.length < 3) continue;
    const base = word.slice(0, -suffix.length);
    out.push(base, `${base}e`, `${base}y`, `${base}ing`);
  }
  return out;
}
