import type { QuoteEngine } from "../src/core/engine.js";
import { normalizeWhitespace, shorten } from "../src/core/text.js";
import { SUGGESTED_TOPICS } from "./quote.js";

/** A platform's bounds on autocomplete choices: how many, and the length of a name and a value. */
export interface ChoiceLimits {
  choices: number;
  nameMax: number;
  valueMax: number;
}

export interface Choice {
  name: string;
  value: string;
}

/**
 * Suggestions while the user types a query: first what they typed (to search it as is), then the
 * quotes it already matches, shown by their opening words. Picking a quote submits `=<id>`, which
 * returns exactly that quote.
 */
export function suggestQueries(
  engine: QuoteEngine,
  partial: string,
  limits: ChoiceLimits,
  source?: string,
): Choice[] {
  const typed = normalizeWhitespace(partial);
  if (!typed) return SUGGESTED_TOPICS.map((t) => ({ name: t, value: t }));
  const choices: Choice[] = [
    { name: shorten(`Search: ${typed}`, limits.nameMax), value: shorten(typed, limits.valueMax) },
  ];
  for (const r of engine.suggest(typed, { limit: limits.choices - 1, source })) {
    const label = r.timestamp
      ? ` (${r.source.show ?? r.source.title}, ${r.timestamp})`
      : ` (${r.source.show ?? r.source.event ?? r.source.title})`;
    choices.push({
      name: `${shorten(`“${r.text}”`, limits.nameMax - label.length)}${label}`.slice(0, limits.nameMax),
      value: `=${r.id}`,
    });
  }
  return choices.slice(0, limits.choices);
}
