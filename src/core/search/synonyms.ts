import { terms } from "./analyze.js";

/**
 * Domain synonyms, both ways: what people type ↔ what the transcripts say. Includes the transcripts'
 * speech-to-text spellings ("cloud" for Claude, "codecs" for Codex) so a query with the right name
 * still finds the passage, which stays quoted as transcribed.
 */
const GROUPS: readonly string[][] = [
  ["llm", "llms", "large language model", "language model"],
  ["rl", "reinforcement learning"],
  ["agi", "artificial general intelligence", "general intelligence"],
  ["ai", "artificial intelligence"],
  ["nn", "neural net", "neural network"],
  ["gpt", "chatgpt"],
  ["self driving", "autopilot", "autonomy", "fsd", "driverless", "autonomous"],
  ["lidar", "sensor"],
  ["claude", "cloud"],
  ["codex", "codecs"],
  ["karpathy", "carpati"],
  ["kid", "child", "children"],
  ["study", "learn", "education", "school"],
  ["teacher", "tutor"],
  ["job", "work", "employment"],
  ["robot", "humanoid", "optimus"],
  ["startup", "founder", "company"],
  ["bottleneck", "bottom leg"],
  ["parallelizable", "paralyzable"],
  ["advice", "recommend"],
  ["future", "decade", "timeline"],
  ["scale", "scaling", "size"],
  ["data", "dataset"],
  ["memorize", "memory", "memorization"],
  ["brain", "cognitive", "cognition"],
  ["evolution", "evolve", "animal"],
  ["ghost", "spirit", "digital"],
  ["coding", "code", "programming", "programmer"],
  ["model", "network"],
  ["synthetic", "generated"],
  ["pretraining", "pre training"],
  ["ceo", "elon", "musk"],
  ["open source", "open weights"],
];

/** Term → the other terms (each a list of index terms) it stands for. */
const TABLE: Map<string, string[][]> = (() => {
  const table = new Map<string, string[][]>();
  for (const group of GROUPS) {
    const forms = group.map((g) => terms(g)).filter((t) => t.length > 0);
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
  return table;
})();

/**
 * Synonym terms for a query's terms, excluding terms the query already has. Multi-word entries
 * match consecutive query terms.
 */
export function expandSynonyms(queryTerms: readonly string[]): string[] {
  const have = new Set(queryTerms);
  const extra = new Set<string>();
  for (let i = 0; i < queryTerms.length; i++) {
    for (const n of [3, 2, 1]) {
      const key = queryTerms.slice(i, i + n).join(" ");
      if (i + n > queryTerms.length) continue;
      for (const form of TABLE.get(key) ?? []) for (const t of form) if (!have.has(t)) extra.add(t);
    }
  }
  return [...extra];
}
