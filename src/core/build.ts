/**
 * The corpus builder: parse, attribute, cut, analyse and index a corpus into an engine snapshot.
 * Kept apart from the engine so that a start with a valid snapshot never loads it (zod, yaml and the
 * sentence splitter cost more than the whole search path).
 */
import { type Corpus, loadCorpus } from "./corpus/load.js";
import { DUPLICATE_CONTAINMENT, findDuplicates } from "./dedupe.js";
import { DEFAULT_CORPUS_DIR, type EngineOptions, QuoteEngine } from "./engine.js";
import { buildPassages, type Passage } from "./passages.js";
import { Analyzer, defaultStopWords } from "./search/analyze.js";
import { buildIndex } from "./search/index.js";
import { backgroundTerms, commonEnglishWords } from "./search/lexicon.js";
import { Postings } from "./search/postings.js";
import { SpellingCorrector } from "./search/spelling.js";
import {
  type EngineSnapshot,
  readSnapshot,
  SNAPSHOT_FORMAT,
  type SnapshotExtras,
  saveSnapshot,
} from "./snapshot.js";
import { tokenize } from "./text.js";
import { Twins } from "./twins.js";

/** Passages shorter than this ("Yeah.", "Exactly.") are context, not quotes. */
const MIN_QUOTE_CHARS = 40;

export function snapshotOf(corpus: Corpus, key = ""): EngineSnapshot {
  const passages = buildPassages(corpus).filter((p) => p.text.length >= MIN_QUOTE_CHARS);
  const duplicates = findDuplicates(passages);
  const lent = lendBlogContext(corpus, passages, duplicates);
  const analyzer = new Analyzer(defaultStopWords());
  const termsOf: Record<string, string> = {};
  const promptTermsOf: Record<string, string> = {};
  const df = new Map<string, number>();
  const promptVocabulary = new Set<string>();
  for (const p of passages) {
    const text = analyzer.terms(p.text);
    const prompt = analyzer.terms(`${p.prompt} ${lent.get(p.id) ?? ""}`);
    termsOf[p.id] = text.join(" ");
    promptTermsOf[p.id] = prompt.join(" ");
    for (const t of new Set(text)) df.set(t, (df.get(t) ?? 0) + 1);
    for (const t of prompt) promptVocabulary.add(t);
  }
  const extras: SnapshotExtras = {
    key,
    sources: corpus.sources.map(({ meta, sentences, attributions }) => ({ meta, sentences, attributions })),
    vocabulary: SpellingCorrector.countWords(
      passages.flatMap((p) => [p.text, p.prompt]),
      tokenize,
    ),
    common: commonEnglishWords(),
  };
  return {
    format: SNAPSHOT_FORMAT,
    key,
    corpus: { manifest: corpus.manifest, hash: corpus.hash },
    passages: passages.map(({ prompt: _prompt, around: _around, ...stored }) => stored),
    terms: termsOf,
    promptTerms: promptTermsOf,
    df: [...df],
    promptVocabulary: [...promptVocabulary],
    background: backgroundTerms(extras.vocabulary, analyzer.toTerm),
    stopWords: [...analyzer.stopWords],
    duplicates: Twins.encode(
      passages.map((p) => p.id),
      duplicates,
    ),
    index: Postings.encode(buildIndex(passages, analyzer).toJSON()),
    extras: () => extras,
  };
}

/**
 * A blog's headings and one-line commentary (the prompt of its block quotes) put his point the way
 * outsiders do ("Tesla is a robotics company"): they become search context, never quote text, of the
 * transcript passages that are the block quote's twins too, as those are the ones shown. Returns
 * what each such passage was lent.
 */
function lendBlogContext(
  corpus: Corpus,
  passages: readonly Passage[],
  duplicates: ReadonlyMap<string, ReadonlyMap<string, number>>,
): Map<string, string> {
  const blogs = new Set(corpus.sources.filter((s) => s.meta.format === "blog").map((s) => s.meta.id));
  const byId = new Map(passages.map((p) => [p.id, p]));
  const lent = new Map<string, string>();
  for (const p of passages) {
    if (!blogs.has(p.sourceId) || !p.prompt) continue;
    for (const [id, share] of duplicates.get(p.id) ?? []) {
      const twin = byId.get(id);
      if (!twin || share < DUPLICATE_CONTAINMENT || blogs.has(twin.sourceId)) continue;
      if (!lent.get(id)?.includes(p.prompt)) lent.set(id, `${lent.get(id) ?? ""} ${p.prompt}`.trim());
    }
  }
  // Low weight in the index (the answer's surroundings), but it counts like the question towards
  // covering the query: it says what the answer is about. The question's own field keeps its length.
  for (const [id, text] of lent) {
    const twin = byId.get(id) as Passage;
    twin.around = `${twin.around} ${text}`.trim();
  }
  return lent;
}

/**
 * The snapshot for a corpus folder: read from the cache when its key matches the corpus and the
 * code, otherwise built and saved. A stale or unreadable snapshot is never used.
 */
export function loadOrBuild(corpusDir: string): { snapshot: EngineSnapshot; built: boolean; path: string } {
  const { snapshot: cached, key, path } = readSnapshot(corpusDir);
  if (cached) return { snapshot: cached, built: false, path };
  return { snapshot: buildAndSave(corpusDir, key, path), built: true, path };
}

/** Builds a corpus folder's snapshot stamped with `key` and saves it at `path` (from `readSnapshot`). */
export function buildAndSave(corpusDir: string, key: string, path: string): EngineSnapshot {
  const snapshot = snapshotOf(loadCorpus(corpusDir), key);
  saveSnapshot(path, snapshot);
  return snapshot;
}

/**
 * The engine for a corpus folder, synchronously: from its snapshot when valid, else built now (and
 * saved). `cache: false` ignores the snapshot on disk. Servers and the CLI use `QuoteEngine.open()`.
 */
export function loadEngine(
  dir = DEFAULT_CORPUS_DIR,
  { cache = true, ...options }: EngineOptions & { cache?: boolean } = {},
): QuoteEngine {
  const snapshot = cache ? loadOrBuild(dir).snapshot : snapshotOf(loadCorpus(dir));
  return QuoteEngine.fromSnapshot(snapshot, options);
}
