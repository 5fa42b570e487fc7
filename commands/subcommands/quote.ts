import { SEARCH_DEFAULTS } from "../../src/core/defaults.js";
import { toJsonResult } from "../../src/json.js";
import { limit, query, source } from "../options.js";
import { encodeState, newPreviewId, toRef } from "../state.js";
import { type CommandContext, declare, type Reply } from "../types.js";

/** What to suggest when nothing matched: topics the corpus covers well. */
export const SUGGESTED_TOPICS = [
  "agents",
  "reinforcement learning",
  "self-driving",
  "education",
  "AGI timelines",
];

export default declare({
  name: "quote",
  description: "Find the best matching Karpathy quote",
  order: 10,
  options: {
    query: query({
      description: "What the quote is about: keywords, a phrase you half remember, a question",
    }),
    source: source(),
    limit: limit(),
  },
  execute({ query, source, limit }, context): Reply {
    const { engine } = context;
    // The CLI prints a ranked list; every other surface shows a preview to page through.
    if (context.surface === "cli") {
      const results = engine.search(query, { limit: limit ?? SEARCH_DEFAULTS.cliResults, source });
      if (!results.length) return { kind: "empty", query, suggestions: [] };
      const readAs = engine.readAs(query);
      return { kind: "list", results, ...(readAs ? { readAs } : {}) };
    }
    const results = engine.search(query, { limit: SEARCH_DEFAULTS.previewResults, source });
    const first = results[0];
    if (!first) {
      // Never suggest the query that just failed.
      const suggestions = SUGGESTED_TOPICS.filter((t) => t.toLowerCase() !== query.trim().toLowerCase());
      return { kind: "empty", query, suggestions, ...(source ? { source } : {}) };
    }
    const refs = results.map((r) => toRef(engine, r.id));
    const readAs = engine.readAs(query);
    const id = newPreviewId((context.now ?? Date.now)());
    return {
      kind: "quote",
      query,
      ...(readAs ? { readAs } : {}),
      result: first,
      position: 1,
      total: results.length,
      state: encodeState(engine, { refs, index: 0, id }),
    };
  },
  json({ query, source, limit }, { engine }: CommandContext) {
    const results = engine.search(query, { limit: limit ?? SEARCH_DEFAULTS.cliJsonResults, source });
    const readAs = results.length ? engine.readAs(query) : undefined;
    return { query, ...(readAs ? { readAs } : {}), results: results.map(toJsonResult) };
  },
});
