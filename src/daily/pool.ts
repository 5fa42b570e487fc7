import { LIMIT_MAX, type QuoteEngine } from "../core/engine.js";

/** What a subscription draws from: every quote, one source's, or a topic's matches (within a source). */
export interface PoolSpec {
  sourceId?: string | undefined;
  topic?: string | undefined;
}

/**
 * The ids a channel's quote of the day is picked from. A topic's pool is its best matches (at most
 * the engine's result limit), so the quote is about the topic; empty when nothing matches.
 */
export function poolOf(engine: QuoteEngine, { sourceId, topic }: PoolSpec): string[] {
  if (topic) return engine.search(topic, { limit: LIMIT_MAX, source: sourceId }).map((r) => r.id);
  return engine.quoteIds({ source: sourceId });
}
