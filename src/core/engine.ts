import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import SearchableMap from "minisearch/SearchableMap";
import type { SourceManifest } from "./corpus/manifest.js";
import { inMontage } from "./corpus/montage.js";
import { DUPLICATE_CONTAINMENT } from "./dedupe.js";
import { SEARCH_DEFAULTS } from "./defaults.js";
import { QuoteError } from "./errors.js";
import { Lru } from "./lru.js";
import { once } from "./once.js";
import { Analyzer } from "./search/analyze.js";
import { retrieve } from "./search/index.js";
import { SoundIndex } from "./search/lexicon.js";
import { Postings } from "./search/postings.js";
import { analyzeQuery, type Vocabulary } from "./search/query.js";
import { DEFAULT_FLOOR, type RankablePassage, rerank } from "./search/rank.js";
import { SpellingCorrector } from "./search/spelling.js";
import { Synonyms } from "./search/synonyms.js";
import { type EngineSnapshot, readSnapshot, type SnapshotExtras, type StoredPassage } from "./snapshot.js";
import { normalizeWhitespace, tokenize } from "./text.js";
import { Twins } from "./twins.js";

/** The corpus shipped with the package: the nearest `corpus/manifest.yml` above this module (src/ or dist/). */
export const DEFAULT_CORPUS_DIR = findCorpusDir(dirname(fileURLToPath(import.meta.url)));

function findCorpusDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "corpus", "manifest.yml"))) return join(dir, "corpus");
    if (dirname(dir) === dir) return join(from, "corpus");
  }
}

export const QUERY_MAX_LENGTH = 300;
export const LIMIT_MAX = SEARCH_DEFAULTS.maxLimit;

/** A source as users see it. */
export interface SourceInfo {
  id: string;
  title: string;
  show?: string;
  event?: string;
  publisher?: string;
  date: string;
  url: string;
}

export interface Credit {
  source: SourceInfo;
  passageId: string;
  /** `hh:mm:ss` where the transcript has timestamps. */
  timestamp?: string;
  link: string;
}

export interface QuoteResult extends Credit {
  id: string;
  text: string;
  speaker: string;
  /** Other transcripts that hold the same passage. */
  alsoIn: Credit[];
  score: number;
  /** Share of the query's information the quote (or the question it answers) matches, 0–1. */
  coverage?: number;
  /** The quote starts or ends mid-sentence (a run-on sentence cut at a clause). */
  cut?: { start: boolean; end: boolean };
}

export interface ContextLine {
  speaker: string;
  text: string;
  /** The line that is the quote itself. */
  quote: boolean;
}

export interface SearchOptions {
  limit?: number;
  source?: string | undefined;
}

/** How many recent queries' results are kept (0 turns the cache off, e.g. to benchmark). */
export const DEFAULT_CACHE_SIZE = 2000;

export interface EngineOptions {
  cacheSize?: number;
}

/** First-stage candidates the ranker looks at. */
const CANDIDATES = 100;

/**
 * The quote engine: corpus in, ranked verbatim quotes of the subject out. Knows nothing of chat
 * platforms; every adapter and the CLI call these methods.
 */
export class QuoteEngine {
  readonly subject: string;
  private readonly passages: StoredPassage[];
  private readonly byId = new Map<string, StoredPassage>();
  /** Built on first use: a query re-ranks at most CANDIDATES passages, a cold start needs none. */
  private readonly rankable = new Map<string, RankablePassage>();
  private readonly termsOf: Record<string, string>;
  private readonly credits = new Lru<string, Credit>(5000);
  private readonly alsoInOf = new Lru<string, readonly Credit[]>(5000);
  private readonly promptTermsOf: Record<string, string>;
  private readonly duplicates: Twins;
  private readonly df: Map<string, number>;
  private readonly index: Postings;
  private readonly sourceById = new Map<string, SourceManifest>();
  private readonly promptTerms: Set<string>;
  private readonly background: ReadonlySet<string>;
  private readonly vocabulary: Vocabulary;
  /** Results of recent queries: a quote bot sees the same queries and prefixes again and again. */
  private readonly cache: Lru<string, QuoteResult[]>;

  readonly corpus: EngineSnapshot["corpus"];
  private readonly extras: () => SnapshotExtras;
  /** Every term with its document frequency, for completing the word being typed. */
  private readonly termTrie: () => SearchableMap<number>;
  private readonly spelling: () => SpellingCorrector;
  private readonly common: () => ReadonlySet<string>;
  private readonly sounds: () => SoundIndex;

  private constructor(data: EngineSnapshot, { cacheSize = DEFAULT_CACHE_SIZE }: EngineOptions = {}) {
    this.cache = new Lru(cacheSize);
    this.corpus = data.corpus;
    // Closures below capture `extras`, never `data`: the parsed snapshot (the index's plain copy
    // above all) must be garbage once the engine is built.
    const extras = data.extras;
    this.extras = extras;
    const corpus = data.corpus;
    const people = corpus.manifest.people;
    this.subject = people[corpus.manifest.subject]?.name ?? corpus.manifest.subject;
    for (const s of corpus.manifest.sources) this.sourceById.set(s.id, s);
    this.passages = data.passages;
    for (const p of this.passages) this.byId.set(p.id, p);
    this.df = new Map(data.df);
    this.promptTerms = new Set(data.promptVocabulary);
    this.background = new Set(data.background);
    this.termsOf = data.terms;
    this.promptTermsOf = data.promptTerms;
    this.duplicates = Twins.decode(
      data.passages.map((p) => p.id),
      data.duplicates,
    );
    // The spelling and completion tries are built on first use: most queries need neither, and a
    // cold CLI query should not pay for them.
    this.termTrie = once(() => {
      const trie = new SearchableMap<number>();
      for (const term of this.promptTerms) trie.set(term, 0);
      for (const [term, n] of this.df) trie.set(term, n);
      return trie;
    });
    this.spelling = once(() => SpellingCorrector.fromCounts(extras().vocabulary));
    this.common = once(() => new Set(extras().common));
    this.sounds = once(() => {
      const common = this.common();
      return new SoundIndex(extras().vocabulary, (w) => common.has(w));
    });
    const { spelling, common, sounds } = this;
    const completions = new Lru<string, string[]>(5000);
    const pairs = new Lru<string, number>(5000);
    const analyzer = new Analyzer(data.stopWords);
    this.vocabulary = {
      analyzer,
      synonyms: new Synonyms(analyzer, corpus.manifest.aliases),
      get spelling() {
        return spelling();
      },
      common: (word) => common().has(word),
      get sounds() {
        return sounds();
      },
      known: (t) => this.df.has(t) || this.promptTerms.has(t),
      completions: (prefix, max) => {
        const hit = completions.get(prefix);
        if (hit) return hit;
        const found = [...this.termTrie().atPrefix(prefix)]
          .sort((a, b) => b[1] - a[1])
          .slice(0, max)
          .map(([t]) => t);
        completions.set(prefix, found);
        return found;
      },
      // A scan, cached: only a word nothing else explains asks, and a bigram table would cost memory.
      adjacent: (a, b) => {
        const pair = ` ${a} ${b} `;
        let hit = pairs.get(pair);
        if (hit === undefined) {
          hit = 0;
          for (const t of Object.values(this.termsOf)) if (` ${t} `.includes(pair)) hit++;
          pairs.set(pair, hit);
        }
        return hit;
      },
    };
    this.index = Postings.decode(data.index);
  }

  /** Restores an engine from a snapshot (see snapshot.ts; same code, same corpus). */
  static fromSnapshot(s: EngineSnapshot, options?: EngineOptions): QuoteEngine {
    return new QuoteEngine(s, options);
  }

  /**
   * The engine for a corpus folder, from its prebuilt snapshot when one matches the corpus and the
   * code, else built now (and the snapshot saved for next time). The builder is imported only then:
   * a cold start with a valid snapshot loads nothing but the search code.
   */
  static async open(dir = DEFAULT_CORPUS_DIR, options?: EngineOptions): Promise<QuoteEngine> {
    const { snapshot, key, path } = readSnapshot(dir);
    if (snapshot) return QuoteEngine.fromSnapshot(snapshot, options);
    const { buildAndSave } = await import("./build.js");
    return QuoteEngine.fromSnapshot(buildAndSave(dir, key, path), options);
  }

  /**
   * Loads what is otherwise built on first use (spelling and completion tries, the extras file):
   * a long-running server calls it at start so that no user's request pays for it.
   */
  warm(): void {
    this.extras();
    this.spelling();
    this.sounds();
    this.termTrie();
  }

  get size(): number {
    return this.passages.length;
  }

  sources(): SourceInfo[] {
    return this.corpus.manifest.sources.map((s) => sourceInfo(s));
  }

  /**
   * Ranked quotes for a query, best first, one per distinct passage; `[]` when nothing is relevant.
   * `=<passage id>` fetches that passage (what an autocomplete choice submits).
   */
  search(query: string, { limit = SEARCH_DEFAULTS.limit, source }: SearchOptions = {}): QuoteResult[] {
    const q = checkQuery(query);
    this.checkSource(source);
    const direct = this.byId.get(q.replace(/^=/u, ""));
    if (q.startsWith("=") && direct) return [this.toResult(direct, 1)];
    return this.rank(q, { limit, source });
  }

  /**
   * The query as the engine read it when it took a word for another (a misspelling, a name as the
   * transcript heard it, a compound it splits): what a reply shows as "Showing results for …".
   * `undefined` when every word was read as typed.
   */
  readAs(query: string): string | undefined {
    const q = cleanQuery(query);
    if (q.startsWith("=")) return undefined;
    const fixed = new Map<string, string>();
    for (const slot of analyzeQuery(q, this.vocabulary).slots)
      if (slot.correctedTo) fixed.set(slot.word, slot.correctedTo);
    return fixed.size
      ? tokenize(q)
          .map((w) => fixed.get(w) ?? w)
          .join(" ")
      : undefined;
  }

  private rank(
    q: string,
    { limit = SEARCH_DEFAULTS.limit, source, prefixLast = false }: SearchOptions & { prefixLast?: boolean },
  ): QuoteResult[] {
    const key = `${prefixLast ? "p" : "q"}|${source ?? ""}|${limit}|${q.toLowerCase()}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const results = this.rankUncached(q, { limit, source, prefixLast });
    this.cache.set(key, results);
    return results;
  }

  private rankUncached(
    q: string,
    { limit = SEARCH_DEFAULTS.limit, source, prefixLast = false }: SearchOptions & { prefixLast?: boolean },
  ): QuoteResult[] {
    const analyzed = analyzeQuery(q, this.vocabulary, { prefixLast });
    if (!analyzed.slots.length) return [];
    const candidates = retrieve(this.index, analyzed, {
      limit: CANDIDATES,
      df: (t) => this.df.get(t) ?? 0,
      ...(source ? { filter: (id: string) => this.byId.get(id)?.sourceId === source } : {}),
    });
    const ranked = rerank(candidates, analyzed, (id) => this.rankableOf(id), {
      idf: (t) => this.idf(t),
      floor: DEFAULT_FLOOR,
      background: (t) => this.background.has(t),
    });
    const picked: QuoteResult[] = [];
    // Passages shown, and passages credited as their twins (in `alsoIn`).
    const shown = new Set<string>();
    const credited = new Set<string>();
    const taken: StoredPassage[] = [];
    for (const r of ranked) {
      if (picked.length >= Math.min(limit, LIMIT_MAX)) break;
      const id = (source ? undefined : this.spokenTwin(r.id)) ?? r.id;
      // The same words, once: skip a passage shown or credited already, a twin of one shown, or the
      // full twin of one credited. A partial twin of one merely credited holds other words too (a blog
      // quote spanning two transcript passages credits both, and both may be shown).
      if (
        shown.has(id) ||
        credited.has(id) ||
        this.twinIn(id, shown) ||
        this.twinIn(id, credited, DUPLICATE_CONTAINMENT)
      )
        continue;
      const p = this.byId.get(id) as StoredPassage;
      // Overlapping windows of one answer are one passage: show the best-ranked only.
      if (
        taken.some(
          (t) =>
            t.sourceId === p.sourceId && t.sentences[0] <= p.sentences[1] && p.sentences[0] <= t.sentences[1],
        )
      )
        continue;
      taken.push(p);
      shown.add(p.id);
      for (const [d] of this.duplicates.of(p.id)) credited.add(d);
      picked.push({ ...this.toResult(p, r.score), coverage: Math.round(r.coverage * 1000) / 1000 });
    }
    return picked;
  }

  /**
   * The spoken twin of a passage from an edited source (the blog's block quote, the newsletter's
   * cleaned-up text), if a transcript holds it: what he said beats an edited copy. Chosen by how much
   * they share, then by id, never by score, so the same passage is shown whatever the query.
   */
  private spokenTwin(id: string): string | undefined {
    const p = this.byId.get(id);
    if (!p || !this.sourceById.get(p.sourceId)?.edited) return undefined;
    let best: [string, number] | undefined;
    for (const [twin, share] of this.duplicates.of(id)) {
      const t = this.byId.get(twin);
      if (!t || this.sourceById.get(t.sourceId)?.edited || share < DUPLICATE_CONTAINMENT) continue;
      if (!best || share > best[1] || (share === best[1] && twin < best[0])) best = [twin, share];
    }
    return best?.[0];
  }

  /**
   * Quotes for a query still being typed (autocomplete): the last word matches as a prefix.
   * Best first, at most `limit`, each a different passage.
   */
  suggest(
    partial: string,
    { limit = SEARCH_DEFAULTS.suggestLimit, source }: SearchOptions = {},
  ): QuoteResult[] {
    const q = cleanQuery(partial).slice(0, QUERY_MAX_LENGTH);
    if (!q || !this.hasSource(source)) return [];
    return this.rank(q, { limit, source, prefixLast: true });
  }

  /**
   * The ids of every quote a random pick may return (optionally from one source), in corpus order:
   * the pool a channel's quote of the day is drawn from.
   */
  quoteIds({ source }: { source?: string | undefined } = {}): string[] {
    this.checkSource(source);
    return this.passages
      .filter((p) => (!source || p.sourceId === source) && p.text.length >= 100)
      .map((p) => p.id);
  }

  /** A random quote, optionally from one source. `rand` returns a number in [0, 1). */
  random({ source }: { source?: string | undefined } = {}, rand: () => number = Math.random): QuoteResult {
    this.checkSource(source);
    const pool = this.passages.filter((p) => (!source || p.sourceId === source) && p.text.length >= 100);
    const p = pool[Math.floor(rand() * pool.length)] ?? this.passages[0];
    if (!p) throw new QuoteError("not-found", "The corpus has no quotes.");
    return this.toResult(p, 0);
  }

  /** One passage by id, as a result (buttons carry ids). */
  get(id: string): QuoteResult | undefined {
    const p = this.byId.get(id);
    return p ? this.toResult(p, 0) : undefined;
  }

  /** The exchange around a quote: the question before it, the quote, and what follows. */
  context(id: string, chars = { before: 600, after: 400 }): ContextLine[] {
    const p = this.byId.get(id);
    if (!p) throw new QuoteError("not-found", `No quote with id "${id}".`);
    const source = this.extras().sources.find((s) => s.meta.id === p.sourceId);
    if (!source) throw new QuoteError("not-found", `No source "${p.sourceId}".`);
    const { sentences, attributions } = source;
    const nameOf = (i: number): string => {
      const s = sentences[i];
      if (s?.role === "commentary") return "Publisher";
      const who = attributions[i]?.speaker;
      return who ? (this.corpus.manifest.people[who]?.name ?? who) : "Speaker unclear";
    };
    const [first, last] = p.sentences;
    // The publisher's boilerplate, and a cold open's other clips, are no part of the exchange.
    // A clip of a montage stands alone; nothing outside the montage reaches into it.
    const clip = inMontage(source.meta, sentences[first]?.line);
    const apart = (k: number) =>
      clip || sentences[k]?.role === "boilerplate" || inMontage(source.meta, sentences[k]?.line);
    let from = first;
    for (let n = 0; from > 0 && n < chars.before; ) {
      if (apart(from - 1)) break;
      from--;
      n += sentences[from]?.text.length ?? 0;
    }
    let to = last;
    for (let n = 0; to + 1 < sentences.length && n < chars.after; ) {
      if (apart(to + 1)) break;
      to++;
      n += sentences[to]?.text.length ?? 0;
    }
    const lines: ContextLine[] = [];
    for (let i = from; i <= to; i++) {
      const quote = i >= first && i <= last;
      const speaker = nameOf(i);
      const prev = lines.at(-1);
      const text = sentences[i]?.text ?? "";
      if (prev && prev.speaker === speaker && prev.quote === quote) prev.text += ` ${text}`;
      else lines.push({ speaker, text, quote });
    }
    return lines;
  }

  private rankableOf(id: string): RankablePassage | undefined {
    let r = this.rankable.get(id);
    if (!r && this.byId.has(id)) {
      const terms = this.termsOf[id]?.split(" ").filter(Boolean) ?? [];
      const promptSet = new Set(this.promptTermsOf[id]?.split(" ").filter(Boolean) ?? []);
      r = { terms, termSet: new Set(terms), promptSet };
      this.rankable.set(id, r);
    }
    return r;
  }

  /** BM25's IDF over the quote texts; a term only a question or no quote holds counts as the rarest one. */
  private idf(term: string): number {
    const n = this.passages.length;
    const df = Math.max(1, this.df.get(term) ?? 0);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** No source filter, or one the corpus has. */
  private hasSource(source: string | undefined): boolean {
    return source === undefined || this.sourceById.has(source);
  }

  private checkSource(source: string | undefined): void {
    if (!this.hasSource(source))
      throw new QuoteError(
        "unknown-source",
        `Unknown source "${source}". Known sources: ${[...this.sourceById.keys()].join(", ")}.`,
      );
  }

  /** A passage's credit depends on it alone: made once (a URL parse), then shared read-only. */
  private credit(p: StoredPassage): Credit {
    const cached = this.credits.get(p.id);
    if (cached) return cached;
    const meta = this.sourceById.get(p.sourceId) as SourceManifest;
    const credit: Credit = { source: sourceInfo(meta), passageId: p.id, link: meta.url };
    if (p.seconds !== undefined && meta.timestampsMatchUrl) {
      credit.timestamp = formatTimestamp(p.seconds);
      credit.link = withTime(meta.url, p.seconds);
    }
    // Shared by every result that shows or credits this passage: frozen, so no caller can edit one.
    Object.freeze(credit.source);
    this.credits.set(p.id, Object.freeze(credit));
    return credit;
  }

  /** Whether a passage has a twin in `ids` that shares at least `minShare` of the smaller one. */
  private twinIn(id: string, ids: ReadonlySet<string>, minShare = 0): boolean {
    // No pairs allocated: this runs for every candidate.
    return this.duplicates.some(id, (d, share) => ids.has(d) && share >= minShare);
  }

  /**
   * Per other source, the credit of its passage that shares the most with this one. Depends on the
   * passage alone, so it is made once and shared read-only, like the credits themselves.
   */
  private alsoIn(p: StoredPassage): readonly Credit[] {
    const cached = this.alsoInOf.get(p.id);
    if (cached) return cached;
    const best = new Map<string, [StoredPassage, number]>();
    for (const [d, share] of this.duplicates.of(p.id)) {
      const other = this.byId.get(d);
      if (!other || other.sourceId === p.sourceId) continue;
      const current = best.get(other.sourceId);
      if (!current || share > current[1]) best.set(other.sourceId, [other, share]);
    }
    const credits = [...best.values()].map(([other]) => this.credit(other));
    this.alsoInOf.set(p.id, credits);
    return credits;
  }

  private toResult(p: StoredPassage, score: number): QuoteResult {
    const result: QuoteResult = {
      id: p.id,
      text: p.text,
      speaker: this.subject,
      ...this.credit(p),
      alsoIn: [...this.alsoIn(p)],
      score: Math.round(score * 1000) / 1000,
    };
    if (p.cut) result.cut = p.cut;
    return result;
  }
}

function sourceInfo(s: SourceManifest): SourceInfo {
  const info: SourceInfo = { id: s.id, title: s.title, date: s.date, url: s.url };
  if (s.show) info.show = s.show;
  if (s.event) info.event = s.event;
  if (s.publisher) info.publisher = s.publisher;
  return info;
}

/**
 * One space between words, none around. Invisible format characters (zero-width space, soft hyphen,
 * BOM) go first: pasted inside a word they would split it, and JS counts U+FEFF as a space.
 */
function cleanQuery(query: string): string {
  return normalizeWhitespace(query.replace(/\p{Cf}/gu, ""));
}

function checkQuery(query: string): string {
  const q = cleanQuery(query);
  if (!q) throw new QuoteError("bad-query", "The query is empty: say what the quote should be about.");
  if (q.length > QUERY_MAX_LENGTH)
    throw new QuoteError(
      "bad-query",
      `The query is too long (${q.length} characters; at most ${QUERY_MAX_LENGTH}).`,
    );
  return q;
}

export function formatTimestamp(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h, m, s].map((n) => String(n).padStart(2, "0")).join(":");
}

/** `https://www.youtube.com/watch?v=X` + 75 s → `https://www.youtube.com/watch?v=X&t=75s`. */
export function withTime(url: string, seconds: number): string {
  const u = new URL(url);
  u.searchParams.set("t", `${seconds}s`);
  return u.toString();
}
