import type { Corpus, LoadedSource } from "./corpus/load.js";
import { inMontage } from "./corpus/montage.js";
import type { Sentence } from "./corpus/sentences.js";

/** Bounds of a quote, in characters. A passage over `max` is impossible by construction. */
export const PASSAGE_LENGTH = { min: 100, target: 400, max: 800 } as const;

/** A quotable passage: one to a few whole sentences of the subject, verbatim, never overlapping another. */
export interface Passage {
  /** `<source id>:<n>`, stable for a given corpus. */
  id: string;
  sourceId: string;
  /** Index of the passage in its source. */
  n: number;
  text: string;
  speaker: string;
  line: number;
  seconds?: number;
  /** What the other side said just before this answer began: the question it answers (never quoted). */
  prompt: string;
  /** The subject's sentences just around the passage in the same answer: search context, never quoted. */
  around: string;
  /** Sentence indices in the source, `[first, last]` inclusive. */
  sentences: [number, number];
  /** Set when a sentence too long to quote whole was cut at a clause; renderers show an ellipsis. */
  cut?: { start: boolean; end: boolean };
}

/** Whether a sentence is complete: closing punctuation, and not trailing off with a dash ("And--,"). */
export function endsSentence(text: string): boolean {
  const t = text.trim();
  return /[.?!…]["”’)\]]*$/u.test(t) && !/(--|—|–)[,.]*$/u.test(t);
}

/** How much of the previous speaker's turn is kept as the prompt of an answer. */
const PROMPT_CHARS = 400;

/** Cuts every run of the subject's sentences in every source into passages. */
export function buildPassages(corpus: Corpus): Passage[] {
  return corpus.sources.flatMap((s) => passagesOf(s, corpus.manifest.subject));
}

function passagesOf(source: LoadedSource, subject: string): Passage[] {
  const { sentences, attributions } = source;
  const out: Passage[] = [];
  let i = 0;
  while (i < sentences.length) {
    if (attributions[i]?.speaker !== subject) {
      i++;
      continue;
    }
    // A run: consecutive subject sentences within one block, or across a line break or diarization
    // seam that cut a sentence of his in two; a montage's sentences each stand alone.
    let j = i;
    while (
      j + 1 < sentences.length &&
      attributions[j + 1]?.speaker === subject &&
      (sentences[j + 1]?.block === sentences[j]?.block || !endsSentence(sentences[j]?.text ?? "")) &&
      !inMontage(source.meta, sentences[j]?.line) &&
      !inMontage(source.meta, sentences[j + 1]?.line)
    )
      j++;
    const prompt = promptBefore(source, i, subject);
    // An unfinished sentence at either end of the run (it trails off, "And--,", or carries on, in
    // lower case, a sentence the transcript gave someone else) is not his whole sentence: it stays
    // out of the quotes, and a run that is only that is not quoted at all.
    let first = i;
    let last = j;
    const before = sentences[i - 1];
    if (before && !endsSentence(before.text) && /^\p{Ll}/u.test(sentences[i]?.text ?? "")) first++;
    while (last >= first && !endsSentence(sentences[last]?.text ?? "")) last--;
    for (const [a, b] of first <= last ? chunk(sentences, first, last) : []) {
      for (const piece of splitLong(sentences, a, b)) {
        const first = sentences[a] as Sentence;
        const passage: Passage = {
          id: `${source.meta.id}:${out.length}`,
          sourceId: source.meta.id,
          n: out.length,
          text: piece.text,
          speaker: subject,
          line: first.line,
          prompt,
          around: [tail(sentences, i, a - 1, AROUND_CHARS), head(sentences, b + 1, j, AROUND_CHARS)]
            .join(" ")
            .trim(),
          sentences: [a, b],
        };
        if (first.seconds !== undefined) passage.seconds = first.seconds;
        if (piece.cut) passage.cut = piece.cut;
        out.push(passage);
      }
    }
    i = j + 1;
  }
  return out;
}

/** How much of the answer around a passage is kept as its search context. */
const AROUND_CHARS = 300;

/** Sentences `[from, to]`, keeping only the last `max` characters' worth. */
function tail(sentences: readonly Sentence[], from: number, to: number, max: number): string {
  const parts: string[] = [];
  for (let k = to, n = 0; k >= from && n < max; k--) {
    parts.unshift(sentences[k]?.text ?? "");
    n += sentences[k]?.text.length ?? 0;
  }
  return parts.join(" ");
}

function head(sentences: readonly Sentence[], from: number, to: number, max: number): string {
  const parts: string[] = [];
  for (let k = from, n = 0; k <= to && n < max; k++) {
    parts.push(sentences[k]?.text ?? "");
    n += sentences[k]?.text.length ?? 0;
  }
  return parts.join(" ");
}

/**
 * Groups the sentences `[i, j]` into passages close to the target length: a passage closes once the
 * next sentence would take it past `target`, unless it is still under `min`.
 */
function chunk(sentences: readonly Sentence[], i: number, j: number): Array<[number, number]> {
  const groups: Array<[number, number]> = [];
  let start = i;
  let length = 0;
  for (let k = i; k <= j; k++) {
    const len = sentences[k]?.text.length ?? 0;
    const grown = length === 0 ? len : length + 1 + len;
    if (
      length > 0 &&
      grown > PASSAGE_LENGTH.target &&
      (length >= PASSAGE_LENGTH.min || grown > PASSAGE_LENGTH.max)
    ) {
      groups.push([start, k - 1]);
      start = k;
      length = len;
    } else length = grown;
  }
  groups.push([start, j]);
  // A short tail ("Yeah.", "That's it.") reads better with what it ends.
  const last = groups.at(-1);
  const prev = groups.at(-2);
  if (last && prev && textLength(sentences, last) < PASSAGE_LENGTH.min / 2) {
    if (textLength(sentences, [prev[0], last[1]]) <= PASSAGE_LENGTH.max) {
      groups.splice(-2, 2, [prev[0], last[1]]);
    }
  }
  return groups;
}

function textLength(sentences: readonly Sentence[], [a, b]: [number, number]): number {
  return sentenceText(sentences, a, b).length;
}

/** The sentences in `[from, to]` joined as they stand in their block (one space between sentences). */
function sentenceText(sentences: readonly Sentence[], from: number, to: number): string {
  return sentences
    .slice(from, to + 1)
    .map((s) => s.text)
    .join(" ");
}

/** A single sentence over the maximum (run-on speech) is cut at clause boundaries, never mid-word. */
function splitLong(
  sentences: readonly Sentence[],
  a: number,
  b: number,
): Array<{ text: string; cut?: { start: boolean; end: boolean } }> {
  const text = sentenceText(sentences, a, b);
  if (text.length <= PASSAGE_LENGTH.max) return [{ text }];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > PASSAGE_LENGTH.max) {
    const window = rest.slice(0, PASSAGE_LENGTH.target + 1);
    const at = Math.max(window.lastIndexOf(", "), window.lastIndexOf("; "), window.lastIndexOf(" and "));
    const cutAt = at > PASSAGE_LENGTH.min ? at + 1 : window.lastIndexOf(" ");
    pieces.push(rest.slice(0, cutAt).trim());
    rest = rest.slice(cutAt).trim();
  }
  pieces.push(rest);
  return pieces.map((t, k) => ({ text: t, cut: { start: k > 0, end: k < pieces.length - 1 } }));
}

/** The other side's words just before sentence `i`: the question an answer responds to. */
function promptBefore(source: LoadedSource, i: number, subject: string): string {
  const { sentences, attributions } = source;
  let k = i - 1;
  // Skip back over the subject's own earlier sentences and unknown ones to the other side's turn.
  while (k >= 0 && (attributions[k]?.speaker === subject || !attributions[k]?.speaker)) {
    if (sentences[k]?.role === "commentary") break;
    k--;
  }
  const parts: string[] = [];
  let length = 0;
  while (k >= 0 && length < PROMPT_CHARS) {
    const a = attributions[k];
    const s = sentences[k] as Sentence;
    const others = s.role === "commentary" || (a?.speaker && a.speaker !== subject);
    if (!others) break;
    parts.unshift(s.text);
    length += s.text.length + 1;
    k--;
  }
  return parts.join(" ");
}
