import type { Corpus, LoadedSource } from "../core/corpus/load.js";

/**
 * A corpus `factor` times the size of the real one, for benchmarks: each copy of each source keeps
 * the real sentence structure and speakers, with about a third of its longer words turned into new
 * ones, so the vocabulary grows with the corpus as it would with real transcripts.
 */
export function syntheticCorpus(real: Corpus, factor: number, seed = 1): Corpus {
  let state = seed;
  const rand = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const syllables = ["ka", "lo", "mir", "ten", "sa", "vu", "rex", "do", "pi", "zan", "qua", "el"];
  const mutate = (text: string) =>
    text.replace(/[A-Za-z]{5,}/gu, (w) =>
      rand() < 0.33
        ? w +
          (syllables[Math.floor(rand() * syllables.length)] ?? "") +
          (syllables[Math.floor(rand() * syllables.length)] ?? "")
        : w,
    );
  const sources: LoadedSource[] = [];
  const metas = [];
  for (let copy = 0; copy < factor; copy++) {
    for (const s of real.sources) {
      const id = copy === 0 ? s.meta.id : `${s.meta.id}-x${copy}`;
      const meta = { ...s.meta, id, twin: s.meta.twin && copy > 0 ? `${s.meta.twin}-x${copy}` : s.meta.twin };
      metas.push(meta);
      sources.push({
        meta,
        blocks: s.blocks,
        sentences: copy === 0 ? s.sentences : s.sentences.map((x) => ({ ...x, text: mutate(x.text) })),
        attributions: s.attributions,
      });
    }
  }
  return { manifest: { ...real.manifest, sources: metas }, sources, hash: `${real.hash}-x${factor}` };
}
