import type { QuoteEngine } from "../src/core/engine.js";
import { normalizeWhitespace, shorten } from "../src/core/text.js";
import { timeZones } from "./options.js";
import { findCommand } from "./registry.js";
import { SUGGESTED_TOPICS } from "./subcommands/quote.js";

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
 * Suggestions for the option being typed, by its kind: queries from the corpus, time zones from the
 * IANA list. Nothing for a command or option that does not autocomplete.
 */
export function suggestFor(
  engine: QuoteEngine,
  commandName: string,
  optionName: string,
  partial: string,
  limits: ChoiceLimits,
  options: Record<string, unknown> = {},
): Choice[] {
  const option = findCommand(commandName)?.options[optionName];
  if (!option?.autocomplete) return [];
  switch (option.kind) {
    case "query": {
      const source =
        typeof options.source === "string" && options.source ? options.source.toLowerCase() : undefined;
      return suggestQueries(engine, partial, limits, source);
    }
    case "timeZone":
      return suggestTimeZones(partial, limits);
    default:
      return [];
  }
}

/** Zones whose name contains what was typed (`berl` → Europe/Berlin), those starting with it first. */
function suggestTimeZones(partial: string, limits: ChoiceLimits): Choice[] {
  const typed = normalizeWhitespace(partial).toLowerCase().replace(/ /gu, "_");
  const matches = timeZones().list.filter((z) => z.toLowerCase().includes(typed));
  const starts = (z: string) =>
    z
      .toLowerCase()
      .split("/")
      .some((p) => p.startsWith(typed));
  return [...matches.filter(starts), ...matches.filter((z) => !starts(z))]
    .slice(0, limits.choices)
    .map((z) => ({ name: z.slice(0, limits.nameMax), value: z.slice(0, limits.valueMax) }));
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
