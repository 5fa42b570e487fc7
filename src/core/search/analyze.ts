import { createRequire } from "node:module";
import { stemmer } from "stemmer";
import { tokenize } from "../text.js";

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

/**
 * The stop words an index is built with: stopword's English list plus the fillers. Only the builder
 * calls this; the snapshot keeps the list, so that queries are analysed exactly as the index was and
 * a cold start never parses stopword's bundle of 62 languages (about 6 ms, a tenth of a CLI query).
 */
export function defaultStopWords(): string[] {
  // A CommonJS bundle: `import` would also make Node lex all 240 KB of it for named exports.
  const { eng } = createRequire(import.meta.url)("stopword") as typeof import("stopword");
  return [...new Set([...eng, ...FILLERS])];
}

/** Words to index terms: stop words dropped, the rest Porter-stemmed ("agents" → "agent"). */
export class Analyzer {
  private readonly stop: ReadonlySet<string>;

  constructor(readonly stopWords: readonly string[]) {
    this.stop = new Set(stopWords);
  }

  /** A word's index term: `null` for a stop word, else its stem. */
  readonly toTerm = (word: string): string | null => {
    if (this.stop.has(word) || word.length > 40) return null;
    return stemmer(word);
  };

  /** The index terms of a text, in order, stop words removed. */
  terms(text: string): string[] {
    const out: string[] = [];
    for (const w of tokenize(text)) {
      const t = this.toTerm(w);
      if (t) out.push(t);
    }
    return out;
  }
}
