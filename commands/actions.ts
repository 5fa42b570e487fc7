import type { QuoteResult } from "../src/core/engine.js";
import { overLimit } from "./ratelimit.js";
import { withSafeUser } from "./registry.js";
import { decodeState, encodeState, fromRef } from "./state.js";
import type { CommandContext, Reply } from "./types.js";

/** The preview's buttons, /giphy style. */
export const BUTTON_ACTIONS = ["send", "next", "context", "cancel"] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

export const BUTTON_LABELS: Record<ButtonAction, string> = {
  send: "Send",
  next: "Next",
  context: "Context",
  cancel: "Cancel",
};

const STALE = "This preview is from an older version of the corpus. Run the command again.";

/**
 * Handles a button press from its own state: any process can answer it, even after a restart. A press
 * counts against the context's rate limit like a command, except Cancel: closing a preview always works.
 */
export function runAction(action: string, rawState: string, context: CommandContext): Reply {
  if (action === "cancel") return { kind: "dismiss" };
  const limited = overLimit(context);
  if (limited) return limited;
  const { engine, user } = withSafeUser(context);
  const decoded = decodeState(engine, rawState);
  if (!decoded.ok)
    return {
      kind: "invalid",
      message: decoded.reason === "stale" ? STALE : "That button is not valid any more.",
    };
  const { refs, index } = decoded.state;
  const current = resultAt(refs[index], engine);
  if (!current) return { kind: "invalid", message: STALE };
  switch (action) {
    case "send":
      return { kind: "shared", result: current, sharedBy: user?.name };
    case "context":
      return { kind: "context", result: current, lines: engine.context(current.id) };
    case "next": {
      const next = (index + 1) % refs.length;
      const result = resultAt(refs[next], engine);
      if (!result) return { kind: "invalid", message: STALE };
      return {
        kind: "quote",
        result,
        position: next + 1,
        total: refs.length,
        state: encodeState(engine, { refs, index: next }),
      };
    }
    default:
      return { kind: "invalid", message: `Unknown button "${action}".` };
  }
}

function resultAt(ref: string | undefined, engine: CommandContext["engine"]): QuoteResult | undefined {
  const id = ref ? fromRef(engine, ref) : undefined;
  return id ? engine.get(id) : undefined;
}
