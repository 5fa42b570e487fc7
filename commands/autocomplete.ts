import type { QuoteEngine } from "../src/core/engine.js";
import { normalizeWhitespace, shorten } from "../src/core/text.js";
import { SUGGESTED_TOPICS } from "./quote.js";

/** Discord's limits for autocomplete: 25 choices, names and values of 1–100 characters. */
export const AUTOCOMPLETE = { choices: 25, nameMax: 100, valueMax: 100 } as const;

export interface Choice {
  name: string;
  value: string;
}

/**
 * Suggestions while the user types a query: first what they typed (to search it as is), then the
 * quotes it already matches, shown by their opening words. Picking a quote submits `=<id>`, which
 * returns exactly that quote.
 */
export function suggestQueries(engine: QuoteEngine, partial: string, source?: string): Choice[] {
  const typed = normalizeWhitespace(partial);
  if (!typed) return SUGGESTED_TOPICS.map((t) => ({ name: t, value: t }));
  const choices: Choice[] = [
    { name: shorten(`Search: ${typed}`, AUTOCOMPLETE.nameMax), value: shorten(typed, AUTOCOMPLETE.valueMax) },
  ];
  for (const r of engine.suggest(typed, { limit: AUTOCOMPLETE.choices - 1, source })) {
    const label = r.timestamp
      ? ` (${r.source.show ?? r.source.title}, ${r.timestamp})`
      : ` (${r.source.show ?? r.source.event ?? r.source.title})`;
    choices.push({
      name: `${shorten(`“${r.text}”`, AUTOCOMPLETE.nameMax - label.length)}${label}`.slice(
        0,
        AUTOCOMPLETE.nameMax,
      ),
      value: `=${r.id}`,
    });
  }
  return choices.slice(0, AUTOCOMPLETE.choices);
}
