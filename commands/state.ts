// zod's v3 API, as in commands/options.ts: it keeps the CLI's cold start light.
import { z } from "zod/v3";
import type { QuoteEngine } from "../src/core/engine.js";

/**
 * Button state travels in the button itself (Discord's custom_id, at most 100 characters; Slack's
 * value), so any process can handle a press, even after a restart: the ranked passages as compact
 * references, the position shown, and the preview's id. A corpus stamp tells a stale button from a
 * live one. The id says when the preview was made (so a press after its lifetime is refused) and
 * tells two previews of the same search apart (so Send posts each at most once).
 */
export interface PreviewState {
  refs: string[];
  index: number;
  /** `<seconds since the epoch><3 random characters>`, base 36; the same on every page of a preview. */
  id: string;
}

export const STATE_MAX_LENGTH = 80;

/** How long a preview's buttons work, and how long Send remembers that it posted. */
export const PREVIEW_LIFETIME_MS = 60 * 60 * 1000;

const NONCE_LENGTH = 3;

const stateSchema = z.object({
  stamp: z.string().length(4),
  index: z.coerce.number().int().min(0).max(24),
  refs: z
    .array(z.string().regex(/^[0-9a-z]+\.[0-9a-z]+$/u))
    .min(1)
    .max(25),
  id: z.string().regex(/^[0-9a-z]{4,12}$/u),
});

/** A new preview's id, made at `now` (ms). */
export function newPreviewId(now: number, rand: () => number = Math.random): string {
  const nonce = Math.floor(rand() * 36 ** NONCE_LENGTH)
    .toString(36)
    .padStart(NONCE_LENGTH, "0");
  return `${Math.floor(now / 1000).toString(36)}${nonce}`;
}

/** When the preview with this id was made, in ms since the epoch. */
export function issuedAt(id: string): number {
  return Number.parseInt(id.slice(0, -NONCE_LENGTH), 36) * 1000;
}

/** `<source ordinal>.<passage n>`, both base 36: `2.5f`. */
export function toRef(engine: QuoteEngine, passageId: string): string {
  const [source, n] = splitId(passageId);
  const ordinal = engine.corpus.manifest.sources.findIndex((s) => s.id === source);
  return `${ordinal.toString(36)}.${Number(n).toString(36)}`;
}

export function fromRef(engine: QuoteEngine, ref: string): string | undefined {
  const [ordinal, n] = ref.split(".");
  const source = engine.corpus.manifest.sources[Number.parseInt(ordinal ?? "", 36)];
  return source ? `${source.id}:${Number.parseInt(n ?? "", 36)}` : undefined;
}

function splitId(id: string): [string, string] {
  const at = id.lastIndexOf(":");
  return [id.slice(0, at), id.slice(at + 1)];
}

export function encodeState(engine: QuoteEngine, state: PreviewState): string {
  const stamp = engine.corpus.hash.slice(0, 4);
  const text = (refs: string[]) => `${stamp}|${state.index}|${refs.join(",")}|${state.id}`;
  let refs = state.refs;
  // Keep the id within the platform limit: drop results from the end, never the one shown.
  while (refs.length > state.index + 1 && text(refs).length > STATE_MAX_LENGTH) refs = refs.slice(0, -1);
  return text(refs);
}

export type DecodedState = { ok: true; state: PreviewState } | { ok: false; reason: "malformed" | "stale" };

export function decodeState(engine: QuoteEngine, raw: string): DecodedState {
  const [stamp, index, refs, id] = raw.split("|");
  const parsed = stateSchema.safeParse({ stamp, index, refs: refs?.split(","), id });
  if (!parsed.success || parsed.data.index >= parsed.data.refs.length)
    return { ok: false, reason: "malformed" };
  if (parsed.data.stamp !== engine.corpus.hash.slice(0, 4)) return { ok: false, reason: "stale" };
  const { refs: r, index: i, id: p } = parsed.data;
  return { ok: true, state: { refs: r, index: i, id: p } };
}
