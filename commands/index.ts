/** The one declaration of every `/karpathy` subcommand and button; every front end derives from it. */
export { BUTTON_ACTIONS, BUTTON_LABELS, type ButtonAction, PUBLIC_ACTIONS, runAction } from "./actions.js";
export { type Choice, type ChoiceLimits, suggestFor, suggestQueries } from "./autocomplete.js";
export { type ClaimStore, DEFAULT_CLAIMS, MemoryClaims } from "./claims.js";
export { usageOf } from "./help.js";
export { MESSAGES } from "./messages.js";
export { DEFAULT_RATE_LIMIT, type RateLimit, RateLimiter, slowDown } from "./ratelimit.js";
export {
  COMMANDS,
  findCommand,
  isGroup,
  label,
  notAnOption,
  parseInput,
  ROOT_COMMAND,
  ROOT_DESCRIPTION,
  refusal,
  runCommand,
} from "./registry.js";
export { encodeState, PREVIEW_LIFETIME_MS } from "./state.js";
export { parseCommandText } from "./text.js";
export {
  type CommandContext,
  type CommandDeclaration,
  type DailyPlace,
  type DailyService,
  fullName,
  isOn,
  type OptionDeclaration,
  optionsOn,
  type Permission,
  type Reply,
  type Surface,
} from "./types.js";
