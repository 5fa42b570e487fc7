import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/core/corpus/load.js";
import { DEFAULT_CORPUS_DIR } from "../../src/core/engine.js";
import { buildPassages } from "../../src/core/passages.js";
import { realEngine } from "../helpers.js";

// Dwarkesh's episode opens with clips from later moments cut together (manifest: `montage`).
describe("a cold-open montage", () => {
  const corpus = loadCorpus(DEFAULT_CORPUS_DIR);
  const montage = corpus.manifest.sources.find((s) => s.id === "dwarkesh")?.montage;
  const clips = buildPassages(corpus).filter(
    (p) => p.sourceId === "dwarkesh" && montage && p.line >= montage.from && p.line <= montage.to,
  );

  it("covers the whole cold open: up to the host's first words", () => {
    const source = corpus.sources.find((s) => s.meta.id === "dwarkesh");
    const firstHost = source?.attributions.findIndex((a) => a.speaker === "dwarkesh-patel") ?? -1;
    const lastClip = source?.sentences[firstHost - 1]?.line ?? 0;
    expect(firstHost).toBeGreaterThan(0);
    expect(montage && lastClip >= montage.from && lastClip <= montage.to).toBe(true);
  });

  it("is quoted one sentence at a time, never two clips joined", () => {
    expect(clips.length).toBeGreaterThan(3);
    for (const p of clips) expect(p.sentences[0]).toBe(p.sentences[1]);
  });

  it("gives a clip no context from the other clips or from the episode", () => {
    const engine = realEngine();
    const [hit] = engine.search("intelligence explosion already");
    expect(hit?.timestamp).toBe("00:00:26");
    expect(engine.context(hit?.id ?? "")).toEqual([expect.objectContaining({ quote: true })]);
  });
});
