import { z } from "zod";
import type { QuoteEngine } from "../src/core/engine.js";

/**
 * Button state travels in the button itself (Discord's custom_id, at most 100 characters; Slack's
 * value), so any process can handle a press, even after a restart: the ranked passages as compact
 * references and the position shown. A corpus stamp tells a stale button from a live one.
 */
export interface PreviewState {
  refs: string[];
  index: number;
}

export const STATE_MAX_LENGTH = 80;

const stateSchema = z.object({
  stamp: z.string().length(4),
  index: z.coerce.number().int().min(0).max(24),
  refs: z
    .array(z.string().regex(/^[0-9a-z]+\.[0-9a-z]+$/u))
    .min(1)
    .max(25),
});

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
  let refs = state.refs;
  // Keep the id within the platform limit: drop results from the end, never the one shown.
  while (
    refs.length > state.index + 1 &&
    `${stamp}|${state.index}|${refs.join(",")}`.length > STATE_MAX_LENGTH
  )
    refs = refs.slice(0, -1);
  return `${stamp}|${state.index}|${refs.join(",")}`;
}

export type DecodedState = { ok: true; state: PreviewState } | { ok: false; reason: "malformed" | "stale" };

export function decodeState(engine: QuoteEngine, raw: string): DecodedState {
  const [stamp, index, refs] = raw.split("|");
  const parsed = stateSchema.safeParse({ stamp, index, refs: refs?.split(",") });
  if (!parsed.success || parsed.data.index >= parsed.data.refs.length)
    return { ok: false, reason: "malformed" };
  if (parsed.data.stamp !== engine.corpus.hash.slice(0, 4)) return { ok: false, reason: "stale" };
  return { ok: true, state: { refs: parsed.data.refs, index: parsed.data.index } };
}
