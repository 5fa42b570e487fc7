import type { Analyzer } from "./analyze.js";

/**
 * Domain synonyms, both ways: what people type ↔ what the transcripts say. Includes the transcripts'
 * speech-to-text spellings ("cloud" for Claude, "codecs" for Codex) so a query with the right name
 * still finds the passage, which stays quoted as transcribed.
 */
const GROUPS: readonly string[][] = [
  // Abbreviations and their expansions.
  ["llm", "llms", "large language model", "language model"],
  ["rl", "reinforcement learning"],
  ["rlhf", "reinforcement learning from human feedback"],
  ["agi", "artificial general intelligence", "general intelligence"],
  ["ai", "artificial intelligence"],
  ["nn", "neural net", "neural network"],
  ["gpt", "chatgpt"],
  ["fsd", "full self driving", "self driving", "autopilot", "driverless"],
  ["pretraining", "pre training"],
  ["open source", "open weights"],
  // Plain variants people type for the transcripts' words.
  ["kid", "child", "children"],
  ["data", "dataset", "data set"],
  ["memorize", "memorization", "memorizing"],
  ["robot", "robotics", "humanoid"],
  ["coding", "programming"],
  // Clippings engineers type for the transcripts' full words.
  ["repo", "repository"],
  ["eval", "evaluation"],
  ["params", "parameters"],
  ["ml", "machine learning"],
  ["cv", "computer vision"],
  ["nlp", "natural language processing"],
  ["sota", "state of the art"],
  // Speech-to-text spellings of ordinary words (names are the manifest's `aliases`).
  ["bottleneck", "bottom leg"],
  ["parallelizable", "paralyzable"],
];

/** The groups as index terms of one analyzer: what query analysis expands a query with. */
export class Synonyms {
  /** Term → the other terms (each a list of index terms) it stands for. */
  private readonly table = new Map<string, string[][]>();
  /** Term → the transcripts' spellings of the same name, as index terms (one list per spelling). */
  private readonly spellings = new Map<string, string[][]>();

  /** `aliases`: the manifest's names as typed → as transcribed. */
  constructor(analyzer: Analyzer, aliases: Readonly<Record<string, readonly string[]>> = {}) {
    for (const [name, spelled] of Object.entries(aliases)) {
      const key = analyzer.terms(name).join(" ");
      if (key)
        this.spellings.set(
          key,
          spelled.map((s) => analyzer.terms(s)).filter((t) => t.length > 0),
        );
    }
    const table = this.table;
    for (const group of GROUPS) {
      const forms = group.map((g) => analyzer.terms(g)).filter((t) => t.length > 0);
      for (const form of forms) {
        if (form.length !== 1) continue;
        const key = form[0] as string;
        const others = forms.filter((f) => f !== form && f.join(" ") !== key);
        table.set(key, [...(table.get(key) ?? []), ...others]);
      }
      // Multi-word forms ("reinforcement learning") are matched as a phrase in the query.
      for (const form of forms) {
        if (form.length < 2) continue;
        const key = form.join(" ");
        table.set(
          key,
          forms.filter((f) => f.join(" ") !== key),
        );
      }
    }
  }

  /** Whether the table knows a term: such a word is domain vocabulary, not a typo to correct. */
  has(term: string): boolean {
    return this.table.has(term) || this.spellings.has(term);
  }

  /** The transcripts' spellings of a name the user typed: the same word, so it counts in full. */
  spellingsOf(term: string): readonly string[][] {
    return this.spellings.get(term) ?? [];
  }

  /**
   * Synonym terms for the phrase that starts at each position of `queryTerms` (one, two or three
   * consecutive terms: "reinforcement learning" → "rl"), excluding terms the query already has.
   */
  at(queryTerms: readonly string[]): string[][] {
    const have = new Set(queryTerms);
    return queryTerms.map((_, i) => {
      const extra = new Set<string>();
      for (const n of [3, 2, 1]) {
        if (i + n > queryTerms.length) continue;
        const key = queryTerms.slice(i, i + n).join(" ");
        for (const form of this.table.get(key) ?? []) for (const t of form) if (!have.has(t)) extra.add(t);
      }
      return [...extra];
    });
  }
}
