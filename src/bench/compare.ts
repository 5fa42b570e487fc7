/**
 * The bench's peers table: the engine and each peer (peers.ts) on one corpus, each timed on the same
 * queries and scored on the same relevance cases, with the heap it holds once warm.
 */
import { QuoteEngine } from "../core/engine.js";
import { type EngineSnapshot, parseSnapshot } from "../core/snapshot.js";
import { evaluate, type RelevanceCase } from "../eval/relevance.js";
import { ours, type PassageSearch, PEERS } from "./peers.js";
import { percentiles, timeEach } from "./stats.js";

export interface PeerRow {
  name: string;
  /** Ours: restoring the engine from its snapshot text; a peer: indexing the passages. */
  readyMs: number;
  /** Memory the warm search holds: heap and array buffers after gc, less the same once it is released. */
  heapMB: number;
  p50: number;
  p99: number;
  hit3: number;
  /** Off-topic cases (of `offtopic`) that got at least one result. */
  offtopicAnswered: number;
  offtopic: number;
}

export interface CompareInput {
  snapshot: EngineSnapshot;
  /** An engine on the snapshot: judges every contender's hits by its results' text and duplicates. */
  judge: QuoteEngine;
  /** The snapshot as text, as `npm run build` writes it (serializeSnapshot). */
  files: { main: string; extras: string };
  /** The timed queries (each measured once, after `warmup` passes over all of them). */
  mix: readonly string[];
  warmup: number;
  /** Scored cases: the held-out half of the relevance set. */
  cases: readonly RelevanceCase[];
  /** Collects garbage (global.gc with --expose-gc). */
  settle: () => void;
}

/**
 * Heap plus array buffers (the engine keeps its postings in typed arrays, outside heapUsed), after
 * two collections: the first may leave what only its finalizers released.
 */
const heapUsed = (settle: () => void) => {
  settle();
  settle();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

export function comparePeers({
  snapshot,
  judge,
  files,
  mix,
  warmup,
  cases,
  settle,
}: CompareInput): PeerRow[] {
  const contenders: Array<{ name: string; make: () => PassageSearch; warm?: () => void }> = [];
  let restored: QuoteEngine | undefined;
  contenders.push({
    name: "karpathy-quotes (ours)",
    make: () => {
      restored = QuoteEngine.fromSnapshot(
        parseSnapshot(files.main, () => files.extras),
        { cacheSize: 0 },
      );
      return ours(restored);
    },
    // A running bot warms its spelling and completion tries at start (QuoteEngine.warm).
    warm: () => restored?.warm(),
  });
  for (const peer of PEERS) contenders.push({ name: peer.name, make: () => peer.build(snapshot.passages) });

  const rows: PeerRow[] = [];
  for (const c of contenders) {
    const t = performance.now();
    let search: PassageSearch | undefined = c.make();
    const readyMs = performance.now() - t;
    const run = (q: string, n = 5) => (search as PassageSearch)(q, n);
    c.warm?.();
    for (let w = 0; w < warmup; w++) for (const q of mix) run(q);
    // Every contender's ids become the judge's results, so that hits are judged by the one rule.
    // Scored before the heap is read: the judge's caches then weigh the same in both readings.
    const m = evaluate(judge, cases, 5, (q, n) =>
      run(q, n).flatMap((id) => {
        const r = judge.get(id);
        return r ? [r] : [];
      }),
    );
    const warm = heapUsed(settle);
    const { p50, p99 } = percentiles(timeEach(mix, run, 0));
    // What the contender holds is what its release frees: other garbage cannot leak into the figure.
    search = undefined;
    restored = undefined;
    const heapMB = (warm - heapUsed(settle)) / 2 ** 20;
    const offtopic = cases.filter((x) => x.kind === "offtopic").length;
    const offtopicAnswered = m.misses.filter((x) => x.kind === "offtopic").length;
    rows.push({ name: c.name, readyMs, heapMB, p50, p99, hit3: m.hit3, offtopicAnswered, offtopic });
  }
  return rows;
}

/** The rows as a Markdown table, for the terminal and for README's performance section. */
export function formatPeers(title: string, rows: readonly PeerRow[]): string {
  const head = [title, "ready", "heap", "query p50", "query p99", "hit@3", "off-topic answered"];
  const body = rows.map((r) => [
    r.name,
    `${r.readyMs.toFixed(0)} ms`,
    `${r.heapMB.toFixed(0)} MB`,
    `${r.p50.toFixed(2)} ms`,
    `${r.p99.toFixed(2)} ms`,
    r.hit3.toFixed(3),
    `${r.offtopicAnswered} / ${r.offtopic}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((x, i) => (i ? x.padStart(widths[i] ?? 0) : x.padEnd(widths[i] ?? 0))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (i ? `${"-".repeat(w - 1)}:` : "-".repeat(w))).join(" | ")} |`;
  return [line(head), rule, ...body.map(line)].join("\n");
}
