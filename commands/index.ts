/** The one declaration of every `/karpathy` subcommand and button; every front end derives from it. */
export { BUTTON_ACTIONS, BUTTON_LABELS, type ButtonAction, runAction } from "./actions.js";
export { type Choice, type ChoiceLimits, suggestQueries } from "./autocomplete.js";
export { usageOf } from "./help.js";
export { DEFAULT_RATE_LIMIT, type RateLimit, RateLimiter, slowDown } from "./ratelimit.js";
export { COMMANDS, findCommand, ROOT_COMMAND, ROOT_DESCRIPTION, runCommand } from "./registry.js";
export { encodeState } from "./state.js";
export { parseCommandText } from "./text.js";
export type { CommandContext, CommandDeclaration, OptionDeclaration, Reply } from "./types.js";
