import type { QuoteResult } from "../src/core/engine.js";
import { DEFAULT_CLAIMS } from "./claims.js";
import { MESSAGES } from "./messages.js";
import { overLimit } from "./ratelimit.js";
import { withSafeUser } from "./registry.js";
import { decodeState, encodeState, fromRef, issuedAt, PREVIEW_LIFETIME_MS } from "./state.js";
import type { CommandContext, Reply } from "./types.js";

/** Buttons anyone may press, not only who ran the command (the quote of the day's Context). */
export const PUBLIC_ACTIONS: ReadonlySet<string> = new Set<ButtonAction>(["context"]);

/** The preview's buttons, /giphy style. */
export const BUTTON_ACTIONS = ["send", "next", "context", "cancel"] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

export const BUTTON_LABELS: Record<ButtonAction, string> = {
  send: "Send",
  next: "Next",
  context: "Context",
  cancel: "Cancel",
};

/**
 * Handles a button press from its own state: any process can answer it, even after a restart. A press
 * counts against the context's rate limit like a command, except Cancel: closing a preview always works.
 *
 * Send posts each preview at most once: it claims the preview's key (in the context's claim store, for
 * the preview's lifetime) before answering `shared`; a second press, a press after Cancel (which claims
 * the same key) or a replayed press gets "Already sent." and posts nothing. A press after the lifetime
 * is refused, so the claim never needs to outlive it.
 */
export async function runAction(action: string, rawState: string, context: CommandContext): Promise<Reply> {
  const { engine, user } = withSafeUser(context);
  const claims = context.claims ?? DEFAULT_CLAIMS;
  const now = (context.now ?? Date.now)();
  const decoded = decodeState(engine, rawState);
  if (action === "cancel") {
    if (decoded.ok) await claims.claim(previewKey(decoded.state.id, user?.id), PREVIEW_LIFETIME_MS);
    return { kind: "dismiss" };
  }
  const limited = await overLimit(context);
  if (limited) return limited;
  if (!decoded.ok)
    return { kind: "invalid", message: decoded.reason === "stale" ? MESSAGES.stale : MESSAGES.badButton };
  const { refs, index, id } = decoded.state;
  // Context only shows the corpus around a quote: anyone may press it, at any age (a quote of the day's
  // button works for as long as its message stays).
  if (action === "context") {
    const shown = resultAt(refs[index], engine);
    if (!shown) return { kind: "invalid", message: MESSAGES.stale };
    return { kind: "context", result: shown, lines: engine.context(shown.id) };
  }
  if (now - issuedAt(id) > PREVIEW_LIFETIME_MS || issuedAt(id) - now > PREVIEW_LIFETIME_MS)
    return { kind: "invalid", message: MESSAGES.expired };
  const current = resultAt(refs[index], engine);
  if (!current) return { kind: "invalid", message: MESSAGES.stale };
  switch (action) {
    case "send": {
      const key = previewKey(id, user?.id);
      if (!(await claims.claim(key, PREVIEW_LIFETIME_MS)))
        return { kind: "invalid", message: MESSAGES.alreadySent };
      return { kind: "shared", result: current, sharedBy: user?.name, release: () => claims.release(key) };
    }
    case "next": {
      const next = (index + 1) % refs.length;
      const result = resultAt(refs[next], engine);
      if (!result) return { kind: "invalid", message: MESSAGES.stale };
      return {
        kind: "quote",
        result,
        position: next + 1,
        total: refs.length,
        state: encodeState(engine, { refs, index: next, id }),
      };
    }
    default:
      return { kind: "invalid", message: MESSAGES.unknownButton(action) };
  }
}

/** One key per preview and user: two users' previews never share one, even with the same id. */
function previewKey(previewId: string, userId: string | undefined): string {
  return `sent:${userId ?? "-"}:${previewId}`;
}

function resultAt(ref: string | undefined, engine: CommandContext["engine"]): QuoteResult | undefined {
  const id = ref ? fromRef(engine, ref) : undefined;
  return id ? engine.get(id) : undefined;
}
