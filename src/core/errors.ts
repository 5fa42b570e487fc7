/** Every failure the core reports carries a code, so adapters can word it for their users. */
export type QuoteErrorCode = "corpus" | "bad-query" | "unknown-source" | "not-found";

export class QuoteError extends Error {
  constructor(
    readonly code: QuoteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "QuoteError";
  }
}

/** `Corpus: <file>:<line>: <problem>` is the one shape of every corpus error, so an editor can jump to it. */
export class CorpusError extends QuoteError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super("corpus", `Corpus: ${file}:${line}: ${problem}`);
    this.name = "CorpusError";
  }
}
