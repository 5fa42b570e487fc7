import { normalizeWhitespace } from "../../text.js";

/** Where a piece of a block's text starts, so a sentence can be traced to its line and timestamp. */
export interface Mark {
  /** Offset in the block's `text`. */
  at: number;
  /** 1-based line in the source file. */
  line: number;
  /** Seconds into the recording, where the transcript has timestamps. */
  seconds?: number;
}

/**
 * A run of text that one format-specific parser recognised as a unit: a labeled turn, a paragraph,
 * a block quote. `speech` may be quoted once its speaker is known; `commentary` is a publisher's
 * framing (kept as search context, never quoted); `boilerplate` is dropped.
 */
export interface Block {
  label: string | null;
  role: "speech" | "commentary" | "boilerplate";
  /** Whitespace-normalised text: the source's words and punctuation, unchanged. */
  text: string;
  marks: Mark[];
}

export interface ParseOptions {
  file: string;
  /** 1-based inclusive line range holding the conversation. */
  body?: { from: number; to: number } | undefined;
}

export type Parser = (text: string, options: ParseOptions) => Block[];

export function inBody(line: number, body: ParseOptions["body"]): boolean {
  return !body || (line >= body.from && line <= body.to);
}

/** Builds a block from pieces, joining them with one space and remembering where each begins. */
export class BlockBuilder {
  private text = "";
  private marks: Mark[] = [];

  constructor(
    readonly label: string | null,
    readonly role: Block["role"],
  ) {}

  add(piece: string, line: number, seconds?: number): void {
    const clean = normalizeWhitespace(piece);
    if (!clean) return;
    if (this.text) this.text += " ";
    this.marks.push(
      seconds === undefined ? { at: this.text.length, line } : { at: this.text.length, line, seconds },
    );
    this.text += clean;
  }

  get empty(): boolean {
    return this.text.length === 0;
  }

  build(): Block {
    return { label: this.label, role: this.role, text: this.text, marks: this.marks };
  }
}

/** Splits a file into lines, 1-based, without the line terminators. */
export function numberedLines(text: string): Array<{ line: number; text: string }> {
  return text.split(/\r?\n/u).map((t, i) => ({ line: i + 1, text: t }));
}
