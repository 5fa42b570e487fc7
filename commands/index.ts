/** The one declaration of every `/karpathy` subcommand and button; every front end derives from it. */
export { BUTTON_ACTIONS, BUTTON_LABELS, type ButtonAction, runAction } from "./actions.js";
export { AUTOCOMPLETE, type Choice, clip, suggestQueries } from "./autocomplete.js";
export { usageOf } from "./help.js";
export { PREVIEW_RESULTS, SUGGESTED_TOPICS } from "./quote.js";
export {
  DEFAULT_RATE_LIMIT,
  type RateDecision,
  type RateLimit,
  RateLimiter,
  type RateLimiterOptions,
  slowDown,
} from "./ratelimit.js";
export { COMMANDS, findCommand, ROOT_COMMAND, ROOT_DESCRIPTION, runCommand } from "./registry.js";
export { decodeState, encodeState, STATE_MAX_LENGTH } from "./state.js";
export { parseCommandText } from "./text.js";
export type { CommandContext, CommandDeclaration, OptionDeclaration, Reply } from "./types.js";
