import { z } from "zod";
import { QUERY_MAX_LENGTH } from "../src/core/engine.js";
import { queryOption, SOURCE_OPTION, sourceOption } from "./options.js";
import { encodeState, toRef } from "./state.js";
import { declare, type Reply } from "./types.js";

/** How many ranked results a preview pages through with Next. */
export const PREVIEW_RESULTS = 5;

/** What to suggest when nothing matched: topics the corpus covers well. */
export const SUGGESTED_TOPICS = [
  "agents",
  "reinforcement learning",
  "self-driving",
  "education",
  "AGI timelines",
];

export const quote = declare({
  name: "quote",
  description: "Find the best matching Karpathy quote",
  options: [
    {
      name: "query",
      description: "What the quote is about: keywords, a phrase you half remember, a question",
      required: true,
      maxLength: QUERY_MAX_LENGTH,
      autocomplete: true,
    },
    SOURCE_OPTION,
  ],
  schema: z.object({ query: queryOption, source: sourceOption }),
  execute({ query, source }, { engine }): Reply {
    const results = engine.search(query, { limit: PREVIEW_RESULTS, source });
    const first = results[0];
    if (!first) {
      // Never suggest the query that just failed.
      const suggestions = SUGGESTED_TOPICS.filter((t) => t.toLowerCase() !== query.trim().toLowerCase());
      return { kind: "empty", query, suggestions, ...(source ? { source } : {}) };
    }
    const refs = results.map((r) => toRef(engine, r.id));
    const readAs = engine.readAs(query);
    return {
      kind: "quote",
      query,
      ...(readAs ? { readAs } : {}),
      result: first,
      position: 1,
      total: results.length,
      state: encodeState(engine, { refs, index: 0 }),
    };
  },
});
