/**
 * `npm run eval:speakers`: precision and recall of speaker inference on the hand-labeled transcripts
 * in tests/fixtures/speakers/ (see its README). `--raw` measures inference without the manifest's
 * curated corrections; `--errors` lists the sentences wrongly given to the subject.
 */
import { fileURLToPath } from "node:url";
import { loadCorpus } from "../src/core/corpus/load.js";
import { DEFAULT_CORPUS_DIR } from "../src/core/engine.js";
import { loadOracle, scoreAttribution } from "../src/eval/attribution.js";

const fixtures = fileURLToPath(new URL("../../tests/fixtures/speakers/", import.meta.url));
const corpus = loadCorpus(DEFAULT_CORPUS_DIR, { corrections: !process.argv.includes("--raw") });
for (const [file, prefix] of [
  ["001.turns.json", "001_"],
  ["003.turns.json", "003_"],
] as const) {
  const source = corpus.sources.find((s) => s.meta.file.startsWith(prefix));
  if (!source) continue;
  const oracle = loadOracle(`${fixtures}${file}`, `${DEFAULT_CORPUS_DIR}/${source.meta.file}`);
  const s = scoreAttribution(source, oracle);
  console.log(
    `${source.meta.id.padEnd(10)} precision ${s.precision.toFixed(3)} (${s.wrong} wrong of ${s.attributed})   recall ${s.recall.toFixed(3)} (${s.found} of ${s.truth})`,
  );
  if (process.argv.includes("--errors")) for (const e of s.errors) console.log(`   ✗ ${e}`);
  if (process.argv.includes("--missed")) for (const m of s.missed) console.log(`   ? ${m}`);
}
