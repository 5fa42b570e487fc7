import type { QuoteResult, SourceInfo } from "./core/engine.js";

/**
 * Wording shared by every renderer (terminal, Discord, Slack), so a source reads the same everywhere.
 * Platform-neutral: no markup.
 */

/** "Dwarkesh Podcast · Andrej Karpathy — AGI is still a decade away · 2025-10-17" */
export function describeSource(s: SourceInfo): string {
  return [s.show ?? s.event, s.title, s.publisher, s.date].filter(Boolean).join(" · ");
}

/** The quote with an ellipsis where a run-on sentence was cut: the words themselves are never touched. */
export function quoteText(r: QuoteResult): string {
  return `${r.cut?.start ? "… " : ""}${r.text}${r.cut?.end ? " …" : ""}`;
}
