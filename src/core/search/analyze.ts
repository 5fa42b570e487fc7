import { createRequire } from "node:module";
import { stemmer } from "stemmer";
import { tokenize } from "../text.js";

export { tokenize };

// stopword ships only a CommonJS bundle of 62 languages: `import` makes Node lex all 240 KB of it for
// named exports (about 12 ms of a cold CLI query); `require` skips that.
const { eng } = createRequire(import.meta.url)("stopword") as typeof import("stopword");

/**
 * Words that carry no topic in conversational transcripts, on top of stopword's English list:
 * fillers ("yeah", "um"), hedges ("basically", "actually") and contraction stubs left by
 * removing apostrophes ("dont", "im").
 */
const FILLERS = [
  "yeah",
  "yes",
  "um",
  "uh",
  "okay",
  "ok",
  "oh",
  "gonna",
  "wanna",
  "just",
  "so",
  "really",
  "basically",
  "actually",
  "kind",
  "sort",
  "lot",
  "thing",
  "things",
  "stuff",
  "etc",
  "et",
  "cetera",
  "dont",
  "doesnt",
  "didnt",
  "im",
  "ive",
  "youre",
  "its",
  "thats",
  "theres",
  "theyre",
  "were",
  "weve",
  "id",
  "ill",
  "isnt",
  "arent",
  "wasnt",
  "cant",
  "wont",
  "whats",
  "lets",
  "does",
  "doing",
  "done",
  "going",
  "say",
  "says",
  "said",
  "tell",
  "think",
  "know",
  "mean",
  "maybe",
  "probably",
  "quote",
  "quotes",
  "karpathy",
  "andrej",
  "andre",
  "s",
  "t",
  "d",
  "ll",
  "re",
  "ve",
  "m",
  "us",
  "anything",
  "something",
  "everything",
];

const STOP = new Set([...eng, ...FILLERS]);

/** A word's index term: `null` for a stop word, else its Porter stem ("agents" → "agent"). */
export function toTerm(word: string): string | null {
  if (STOP.has(word) || word.length > 40) return null;
  return stemmer(word);
}

/** The index terms of a text, in order, stop words removed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of tokenize(text)) {
    const t = toTerm(w);
    if (t) out.push(t);
  }
  return out;
}
