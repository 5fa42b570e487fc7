/**
 * Other search libraries over the engine's own quotable passages, for the bench's peers table: each
 * indexes the passage text alone with the library's documented defaults, and answers a query with
 * passage ids, best first. They share nothing with the engine but the passages.
 */
import { create, insertMultiple, search as oramaSearch } from "@orama/orama";
import { Index } from "flexsearch";
import MiniSearch from "minisearch";
import type { QuoteEngine } from "../core/engine.js";

/** What a peer indexes: a passage as the engine holds it (`EngineSnapshot["passages"]`). */
export interface PeerPassage {
  id: string;
  text: string;
}

/** A query in, at most `limit` passage ids out, best first. */
export type PassageSearch = (query: string, limit: number) => string[];

export interface Peer {
  name: string;
  /** Indexes the passages; the returned search is all the bench times. */
  build: (passages: readonly PeerPassage[]) => PassageSearch;
}

/** The engine itself, as a peer of the others: the ids of its results. */
export const ours =
  (engine: QuoteEngine): PassageSearch =>
  (query, limit) =>
    engine.search(query, { limit }).map((r) => r.id);

/** MiniSearch as a user would start with it: the text only, prefix and fuzzy matching, BM25+. */
const miniSearch: Peer = {
  name: "MiniSearch 7 (text, prefix, fuzzy 0.2)",
  build(passages) {
    const index = new MiniSearch<PeerPassage>({
      fields: ["text"],
      searchOptions: { prefix: true, fuzzy: 0.2 },
    });
    index.addAll(passages);
    return (query, limit) =>
      index
        .search(query)
        .slice(0, limit)
        .map((r) => String(r.id));
  },
};

/**
 * FlexSearch's Index with the "forward" (prefix) tokenizer and its default encoder. `suggest` lets a
 * query match passages that lack some of its words: without it a query is an AND of all its words,
 * and most questions and paraphrases come back empty.
 */
const flexSearch: Peer = {
  name: 'FlexSearch 0.8 (Index, "forward", suggest)',
  build(passages) {
    const index = new Index({ tokenize: "forward" });
    passages.forEach((p, i) => {
      index.add(i, p.text);
    });
    return (query, limit) =>
      index.search(query, { limit, suggest: true }).map((i) => (passages[Number(i)] as PeerPassage).id);
  },
};

/** Orama's default full-text search (BM25) over a one-field schema. Without hooks it runs synchronously. */
const orama: Peer = {
  name: "Orama 3 (default BM25)",
  build(passages) {
    const db = create({ schema: { text: "string" } as const });
    const inserted = insertMultiple(
      db,
      passages.map((p) => ({ id: p.id, text: p.text })),
    );
    if (inserted instanceof Promise) throw new Error("Orama: insertMultiple went asynchronous");
    return (query, limit) => {
      const found = oramaSearch(db, { term: query, limit });
      if (found instanceof Promise) throw new Error("Orama: search went asynchronous");
      return found.hits.map((h) => h.id);
    };
  },
};

export const PEERS: readonly Peer[] = [miniSearch, flexSearch, orama];
