import { createHash, randomUUID } from "node:crypto";
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { ProcessedCorpus } from "./corpus/load.js";
import { QuoteError } from "./errors.js";
import { once } from "./once.js";
import type { Passage } from "./passages.js";
import type { EncodedPostings } from "./search/postings.js";
import type { EncodedTwins } from "./twins.js";

/** Bumped when the snapshot's shape changes. */
export const SNAPSHOT_FORMAT = 8;

/** A passage as the engine keeps it: its prompt and context are in the index, not needed again. */
export type StoredPassage = Omit<Passage, "prompt" | "around">;

/**
 * What only some requests need: the attributed transcripts (for "context") and the word counts
 * (for spelling correction). Stored in a file of its own, read on first use: a cold CLI query
 * rarely needs it, and it is as large as everything else together.
 */
export interface SnapshotExtras {
  key: string;
  sources: ProcessedCorpus["sources"];
  vocabulary: Array<[string, number]>;
  /** Spoken English's most frequent words: never "corrected" into corpus words, never misheard names. */
  common: string[];
}

/**
 * Everything the engine needs at run time, precomputed: the manifest, the passages with their
 * analysed terms, the duplicates and the serialised MiniSearch index, plus the extras on demand.
 * `npm run build` writes one (src/core/build.ts); start-up loads it instead of re-parsing and re-indexing.
 */
export interface EngineSnapshot {
  format: number;
  /** Hash of the corpus files and of the code that processed them: a snapshot is valid only for it. */
  key: string;
  corpus: Pick<ProcessedCorpus, "manifest" | "hash">;
  passages: StoredPassage[];
  /** Analysed terms of each passage's text and prompt, space-separated. */
  terms: Record<string, string>;
  promptTerms: Record<string, string>;
  /** How many passages' text holds each term (ranking's IDF and retrieval's budget). */
  df: Array<[string, number]>;
  /** Every term of the prompts: words a query may use to find an answer by its question. */
  promptVocabulary: string[];
  /** Everyday terms the corpus says no more than everyday speech does: a match on them alone is chance. */
  background: string[];
  /** The stop words the index was built with: queries are analysed with the same. */
  stopWords: string[];
  /** Which passages say the same thing (dedupe.ts), as a compact table (twins.ts). */
  duplicates: EncodedTwins;
  /** MiniSearch's index in compact form (search/postings.ts). */
  index: EncodedPostings;
  /** Loads the extras (from disk, the first time it is called). */
  extras: () => SnapshotExtras;
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

function snapshotKey(corpusDir: string): string {
  const hash = hashTree(corpusDir);
  hashTree(CODE_DIR, hash);
  return hash.update(String(SNAPSHOT_FORMAT)).digest("hex").slice(0, 24);
}

/**
 * `<corpus>/../.cache/index-<corpus folder>-<code folder hash>.json`: compiled and source runs (dist/
 * and src/, e.g. under vitest) keep separate snapshots instead of overwriting each other's. The code
 * folder counts relative to the corpus, so a built tree copied elsewhere (a container image, a
 * release directory) still finds the index its build wrote.
 */
export function snapshotPath(corpusDir: string): string {
  const where = relative(dirname(corpusDir), CODE_DIR).split(sep).join("/");
  const code = createHash("sha256").update(where).digest("hex").slice(0, 8);
  return join(dirname(corpusDir), ".cache", `index-${basename(corpusDir)}-${code}.json`);
}

/** The file beside the snapshot that holds its extras. */
export const extrasPath = (path: string) => path.replace(/\.json$/u, ".extras.json");

/**
 * JSON with every non-ASCII character escaped: the file is then read as latin1, which skips UTF-8
 * decoding and gives JSON.parse one-byte strings (a few milliseconds of every cold start).
 */
function asciiJson(value: unknown): string {
  // No `u` flag: a character outside the BMP is escaped as its two surrogates, which JSON allows.
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const readAscii = (path: string) => readFileSync(path, "latin1");

/** The two files' contents, as `saveSnapshot` writes them. */
export function serializeSnapshot(snapshot: EngineSnapshot): { main: string; extras: string } {
  const { extras, ...main } = snapshot;
  const x = extras();
  // The key first: `readSnapshot` checks it from the file's first bytes.
  return {
    main: asciiJson(main),
    extras: asciiJson({ key: x.key, sources: x.sources, vocabulary: x.vocabulary, common: x.common }),
  };
}

/**
 * A snapshot from the two files' contents; `extras` is read only when first needed. If it then turns
 * out unreadable or from another build, `onBroken` runs (so the next start rebuilds) and the caller
 * gets a QuoteError saying to restart.
 */
export function parseSnapshot(main: string, extras: () => string, onBroken?: () => void): EngineSnapshot {
  const parsed = JSON.parse(main) as Omit<EngineSnapshot, "extras">;
  // The loader keeps the key only: holding `parsed` would keep the index's plain copy alive.
  const key = parsed.key;
  return {
    ...parsed,
    extras: once(() => {
      let x: SnapshotExtras | undefined;
      try {
        x = JSON.parse(extras()) as SnapshotExtras;
      } catch {
        // Reported below.
      }
      if (x?.key !== key) {
        onBroken?.();
        throw new QuoteError("corpus", "Corpus: the index in .cache changed or is unreadable: restart.");
      }
      return x;
    }),
  };
}

/** The key at the head of an extras file (written first), read without parsing the rest. */
function extrasKey(path: string): string | undefined {
  const head = Buffer.alloc(128);
  const fd = openSync(path, "r");
  try {
    const n = readSync(fd, head, 0, head.length, 0);
    return /^\{"key":"([^"]*)"/u.exec(head.toString("latin1", 0, n))?.[1];
  } finally {
    closeSync(fd);
  }
}

/**
 * The snapshot on disk for a corpus folder, if it matches the corpus and the code (`key`); a stale,
 * missing or unreadable snapshot is never returned. Reading needs none of the corpus builder, so a
 * cold start with a valid snapshot loads only the search code.
 */
export function readSnapshot(corpusDir: string): { snapshot?: EngineSnapshot; key: string; path: string } {
  const key = snapshotKey(corpusDir);
  const path = snapshotPath(corpusDir);
  try {
    const cached = parseSnapshot(
      readAscii(path),
      () => readAscii(extrasPath(path)),
      () => rmSync(path, { force: true }),
    );
    // Both files must be this build's: two builders racing could leave a main file and extras of
    // different corpora.
    if (cached.format === SNAPSHOT_FORMAT && cached.key === key && extrasKey(extrasPath(path)) === key)
      return { snapshot: cached, key, path };
  } catch {
    // Missing or corrupt: the caller builds a new one.
  }
  return { key, path };
}

/**
 * Writes both files atomically (temp file + rename), the extras first, so that a reader never sees
 * half a file; best effort (a read-only install still works, it just builds in memory).
 */
export function saveSnapshot(path: string, snapshot: EngineSnapshot): boolean {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const { main, extras } = serializeSnapshot(snapshot);
    for (const [file, text] of [
      [extrasPath(path), extras],
      [path, main],
    ] as const) {
      // pid alone can collide: containers sharing a volume all run as pid 1.
      const tmp = `${file}.${process.pid}-${randomUUID()}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, file);
    }
    return true;
  } catch {
    return false;
  }
}
