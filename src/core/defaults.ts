/**
 * Every default of a search, in one place (as MiniSearch keeps `defaultSearchOptions`): the engine,
 * the commands and the CLI read them from here instead of restating numbers.
 */
export const SEARCH_DEFAULTS = {
  /** Results `engine.search` returns when not told how many. */
  limit: 5,
  /** Suggestions `engine.suggest` returns when not told how many. */
  suggestLimit: 10,
  /** The most results any one search returns. */
  maxLimit: 25,
  /** Results a chat or console preview pages through with Next. */
  previewResults: 5,
  /** Results `karpathy quote` prints as text. */
  cliResults: 3,
  /** Results `karpathy quote --json` returns. */
  cliJsonResults: 5,
} as const;
