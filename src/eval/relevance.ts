import { readFileSync } from "node:fs";
import { z } from "zod";
import type { QuoteEngine, QuoteResult } from "../core/engine.js";

const KINDS = [
  "keywords",
  "phrase",
  "question",
  "paraphrase",
  "headline",
  "typo",
  "name",
  "offtopic",
] as const;

/** Tuning is done on one half only; the held-out half says whether it generalises. */
export const SPLITS = ["tune", "held-out"] as const;

const caseSchema = z.object({
  id: z.string(),
  kind: z.enum(KINDS),
  query: z.string().min(1),
  expected: z.array(z.string().min(10)),
  note: z.string().optional(),
  /** Which half of the set a case is in, where the set is split (tune on one half, report the other). */
  split: z.enum(SPLITS).optional(),
});
export type RelevanceCase = z.infer<typeof caseSchema>;

export function loadRelevanceSet(path: string): RelevanceCase[] {
  return z.array(caseSchema).parse(JSON.parse(readFileSync(path, "utf8")));
}

/** The held-out half of the set: its `"split": "held-out"` cases, or every case where the set is not split. */
export function heldOut(cases: readonly RelevanceCase[]): readonly RelevanceCase[] {
  const held = cases.filter((c) => c.split === "held-out");
  return held.length ? held : cases;
}

/** Snippets and quotes are compared on letters and digits only, as two transcribers may punctuate differently. */
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/gu, "");

export interface Metrics {
  queries: number;
  hit1: number;
  hit3: number;
  mrr: number;
  /** Share of off-topic queries that came back empty. */
  offtopicEmpty: number;
  /** Share of on-topic queries that came back empty. */
  emptyOnTopic: number;
  byKind: Record<string, { n: number; hit3: number; mrr: number }>;
  misses: Array<{ id: string; kind: string; query: string; got: string[] }>;
}

/** The rank (1-based) of the first result holding an expected snippet, or 0 when none does. */
function rankOf(engine: QuoteEngine, results: readonly QuoteResult[], expected: readonly string[]): number {
  const wanted = expected.map(squash);
  const idx = results.findIndex((r) => {
    const texts = [r.text, ...r.alsoIn.map((a) => engine.get(a.passageId)?.text ?? "")].map(squash);
    return wanted.some((w) => texts.some((t) => t.includes(w)));
  });
  return idx + 1;
}

/** Results for a query, best first; the engine resolves each result's duplicates in other sources. */
export type SearchFn = (query: string, limit: number) => readonly QuoteResult[];

/**
 * Scores `search` (the engine's own by default) on the set. Another search library is scored the
 * same way by mapping its passage ids to `engine.get(id)`, so the same duplicates count as hits.
 */
export function evaluate(
  engine: QuoteEngine,
  cases: readonly RelevanceCase[],
  limit = 5,
  search: SearchFn = (query, n) => engine.search(query, { limit: n }),
): Metrics {
  let hit1 = 0;
  let hit3 = 0;
  let rr = 0;
  let onTopic = 0;
  let offtopic = 0;
  let offtopicEmpty = 0;
  let emptyOnTopic = 0;
  const byKind: Metrics["byKind"] = {};
  const misses: Metrics["misses"] = [];
  for (const c of cases) {
    const results = search(c.query, limit);
    if (c.kind === "offtopic") {
      offtopic++;
      if (!results.length) offtopicEmpty++;
      else
        misses.push({ id: c.id, kind: c.kind, query: c.query, got: results.map((r) => r.text.slice(0, 80)) });
      continue;
    }
    onTopic++;
    if (!results.length) emptyOnTopic++;
    const rank = rankOf(engine, results, c.expected);
    byKind[c.kind] ??= { n: 0, hit3: 0, mrr: 0 };
    const k = byKind[c.kind] as { n: number; hit3: number; mrr: number };
    k.n++;
    if (rank === 1) hit1++;
    if (rank >= 1 && rank <= 3) {
      hit3++;
      k.hit3++;
    }
    if (rank >= 1) {
      rr += 1 / rank;
      k.mrr += 1 / rank;
    }
    if (rank === 0 || rank > 3)
      misses.push({
        id: c.id,
        kind: c.kind,
        query: c.query,
        got: results.slice(0, 3).map((r) => r.text.slice(0, 80)),
      });
  }
  for (const k of Object.values(byKind)) {
    k.hit3 /= k.n;
    k.mrr /= k.n;
  }
  return {
    queries: cases.length,
    hit1: hit1 / onTopic,
    hit3: hit3 / onTopic,
    mrr: rr / onTopic,
    offtopicEmpty: offtopic ? offtopicEmpty / offtopic : 1,
    emptyOnTopic: emptyOnTopic / onTopic,
    byKind,
    misses,
  };
}
