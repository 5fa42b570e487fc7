/**
 * `npm run eval`: hit@1, hit@3 and MRR of the engine on eval/relevance.json (see eval/README.md).
 * `--misses` lists the queries that missed the top 3; `--json` prints the metrics as JSON.
 */
import { fileURLToPath } from "node:url";
import { loadEngine } from "../src/core/build.js";
import { evaluate, loadRelevanceSet, SPLITS } from "../src/eval/relevance.js";

const setPath = fileURLToPath(new URL("../../eval/relevance.json", import.meta.url));
const engine = loadEngine();
const cases = loadRelevanceSet(setPath);
const pct = (x: number) => x.toFixed(3);
// The whole set, then each half that the set marks (tune on one, report both).
const parts = [
  { name: "all", cases },
  ...SPLITS.map((split) => ({ name: split, cases: cases.filter((c) => c.split === split) })),
].filter((p) => p.cases.length > 0);
const results = parts.map((p) => ({ name: p.name, metrics: evaluate(engine, p.cases) }));

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(Object.fromEntries(results.map((r) => [r.name, r.metrics])), null, 2));
} else {
  for (const { name, metrics: m } of results) {
    console.log(`── ${name}`);
    console.log(`queries ${m.queries}   hit@1 ${pct(m.hit1)}   hit@3 ${pct(m.hit3)}   MRR ${pct(m.mrr)}`);
    console.log(
      `off-topic answered empty ${pct(m.offtopicEmpty)}   on-topic answered empty ${pct(m.emptyOnTopic)}`,
    );
    for (const [kind, k] of Object.entries(m.byKind))
      console.log(
        `  ${kind.padEnd(11)} n=${String(k.n).padStart(3)}  hit@3 ${pct(k.hit3)}  MRR ${pct(k.mrr)}`,
      );
  }
  const all = results[0]?.metrics;
  if (all && process.argv.includes("--misses"))
    for (const miss of all.misses)
      console.log(`\n✗ ${miss.id} [${miss.kind}] ${miss.query}\n    ${miss.got.join("\n    ")}`);
}
