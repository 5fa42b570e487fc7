/** Collapses every run of whitespace (including newlines and NBSP) to one space and trims the ends. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

/**
 * Lower-cased words with punctuation and apostrophes removed: the form used to compare two
 * transcripts of the same talk, which differ in punctuation and casing but rarely in words.
 */
export function comparableWords(text: string): string[] {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      .replace(/['’‘`]/gu, "")
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Overlapping runs of `size` words, joined by a space. */
export function shingles(words: readonly string[], size = 3): string[] {
  const out: string[] = [];
  for (let i = 0; i + size <= words.length; i++) out.push(words.slice(i, i + size).join(" "));
  return out;
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
