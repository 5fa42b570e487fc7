import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AsPlainObject } from "minisearch";
import { type Corpus, loadCorpus, type ProcessedCorpus } from "./corpus/load.js";
import { findDuplicates } from "./dedupe.js";
import { buildPassages, type Passage } from "./passages.js";
import { terms, tokenize } from "./search/analyze.js";
import { buildIndex } from "./search/index.js";
import { SpellingCorrector } from "./search/spelling.js";

/** Bumped when the snapshot's shape changes. */
export const SNAPSHOT_FORMAT = 1;

/** Passages shorter than this ("Yeah.", "Exactly.") are context, not quotes. */
export const MIN_QUOTE_CHARS = 40;

/**
 * Everything the engine needs at run time, precomputed: the attributed corpus, the passages with
 * their analysed terms, the duplicates, the spelling vocabulary and the serialised MiniSearch index.
 * `npm run build` writes one; start-up loads it instead of re-parsing and re-indexing.
 */
export interface EngineSnapshot {
  format: number;
  /** Hash of the corpus files and of the code that processed them: a snapshot is valid only for it. */
  key: string;
  corpus: ProcessedCorpus;
  passages: Passage[];
  /** Analysed terms of each passage's text and prompt, space-separated. */
  terms: Record<string, string>;
  promptTerms: Record<string, string>;
  duplicates: Array<[string, Array<[string, number]>]>;
  vocabulary: Array<[string, number]>;
  index: AsPlainObject;
}

export function snapshotOf(corpus: Corpus, key = ""): EngineSnapshot {
  const passages = buildPassages(corpus).filter((p) => p.text.length >= MIN_QUOTE_CHARS);
  const termsOf: Record<string, string> = {};
  const promptTermsOf: Record<string, string> = {};
  for (const p of passages) {
    termsOf[p.id] = terms(p.text).join(" ");
    promptTermsOf[p.id] = terms(p.prompt).join(" ");
  }
  return {
    format: SNAPSHOT_FORMAT,
    key,
    corpus: {
      manifest: corpus.manifest,
      hash: corpus.hash,
      sources: corpus.sources.map(({ meta, sentences, attributions }) => ({ meta, sentences, attributions })),
    },
    passages,
    terms: termsOf,
    promptTerms: promptTermsOf,
    duplicates: [...findDuplicates(passages)].map(([id, m]) => [id, [...m]]),
    vocabulary: SpellingCorrector.countWords(
      passages.flatMap((p) => [p.text, p.prompt]),
      tokenize,
    ),
    index: buildIndex(passages, (p) => p.around).toJSON(),
  };
}

/** Hash of every file under `dir` (names and contents), in a stable order. */
function hashTree(dir: string, hash = createHash("sha256")) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hashTree(path, hash);
    else if (!name.endsWith(".map")) hash.update(name).update(readFileSync(path));
  }
  return hash;
}

/** The running core's own code (src/core or dist/src/core): a snapshot made by other code is stale. */
const CODE_DIR = dirname(fileURLToPath(import.meta.url));

export function snapshotKey(corpusDir: string): string {
  const hash = hashTree(corpusDir);
  hashTree(CODE_DIR, hash);
  return hash.update(String(SNAPSHOT_FORMAT)).digest("hex").slice(0, 24);
}

/**
 * `<corpus>/../.cache/index-<corpus folder>-<code folder hash>.json`: compiled and source runs (dist/
 * and src/, e.g. under vitest) keep separate snapshots instead of overwriting each other's.
 */
export function snapshotPath(corpusDir: string): string {
  const code = createHash("sha256").update(CODE_DIR).digest("hex").slice(0, 8);
  return join(dirname(corpusDir), ".cache", `index-${basename(corpusDir)}-${code}.json`);
}

/**
 * The snapshot for a corpus folder: read from the cache when its key matches the corpus and the
 * code, otherwise built and saved. A stale or unreadable snapshot is never used.
 */
export function loadOrBuildSnapshot(corpusDir: string): EngineSnapshot {
  return loadOrBuild(corpusDir).snapshot;
}

export function loadOrBuild(corpusDir: string): { snapshot: EngineSnapshot; built: boolean; path: string } {
  const key = snapshotKey(corpusDir);
  const path = snapshotPath(corpusDir);
  try {
    const cached = JSON.parse(readFileSync(path, "utf8")) as EngineSnapshot;
    if (cached.format === SNAPSHOT_FORMAT && cached.key === key)
      return { snapshot: cached, built: false, path };
  } catch {
    // Missing or corrupt: rebuild below.
  }
  const snapshot = snapshotOf(loadCorpus(corpusDir), key);
  saveSnapshot(path, snapshot);
  return { snapshot, built: true, path };
}

/** Writes atomically (temp file + rename) so a concurrent reader never sees half a file; best effort. */
export function saveSnapshot(path: string, snapshot: EngineSnapshot): boolean {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(snapshot));
    renameSync(tmp, path);
    return true;
  } catch {
    return false;
  }
}
