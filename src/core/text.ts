/**
 * Lower-cased words with punctuation dropped and apostrophes removed, so "don't" stays one word.
 * The one tokenizer of the project: the search index, queries, and the comparison of two transcripts
 * of one talk (which differ in punctuation and casing but rarely in words) all use it.
 */
export function tokenize(text: string): string[] {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      // Apostrophes, and invisible format characters (zero-width space, soft hyphen…) that a paste can
      // hide inside a word.
      .replace(/['’‘`\p{Cf}]/gu, "")
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** One space between words, none around: what every reader of user or transcript text starts with. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

/** The first `n` UTF-16 units of `text`, one fewer rather than half a surrogate pair (an emoji). */
export function sliceWhole(text: string, n: number): string {
  const cut = text.slice(0, Math.max(0, n));
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** At most `max` characters, cut at a word boundary when one is near and marked with "…". */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return "…".slice(0, max);
  const cut = sliceWhole(text, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Overlapping runs of `size` words, joined by a space. */
export function shingles(words: readonly string[], size = 3): string[] {
  const out: string[] = [];
  for (let i = 0; i + size <= words.length; i++) out.push(words.slice(i, i + size).join(" "));
  return out;
}

/**
 * Bidirectional overrides and isolates (which can make echoed text read backwards, e.g. hide what a
 * link or a name really says) and control characters such as NUL; tabs and newlines are kept.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
/** C0 controls and DEL, except tab (9), line feed (10) and carriage return (13). */
const isControl = (code: number) => (code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 127;

/** `text` without the characters above: user input (queries, display names) is echoed back. */
export function stripUnsafe(text: string): string {
  let out = "";
  for (const c of text.replace(BIDI_CONTROLS, "")) if (!isControl(c.charCodeAt(0))) out += c;
  return out;
}
