import type { Credit, QuoteResult } from "./core/engine.js";

/** The CLI's JSON shape of a result (README "CLI"): stable field names, nothing internal. */
export function toJsonResult(r: QuoteResult) {
  return {
    id: r.id,
    text: r.text,
    speaker: r.speaker,
    source: r.source,
    timestamp: r.timestamp ?? null,
    link: r.link,
    alsoIn: r.alsoIn.map(credit),
    score: r.score,
    ...(r.cut ? { cut: r.cut } : {}),
  };
}

function credit(c: Credit) {
  return { id: c.passageId, source: c.source, timestamp: c.timestamp ?? null, link: c.link };
}
