import { appendFileSync, cpSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadEngine, loadOrBuild } from "../../src/core/build.js";
import { DEFAULT_CORPUS_DIR, QuoteEngine } from "../../src/core/engine.js";
import {
  type EngineSnapshot,
  extrasPath,
  parseSnapshot,
  serializeSnapshot,
  snapshotPath,
} from "../../src/core/snapshot.js";

function corpusCopy(): string {
  const root = mkdtempSync(join(tmpdir(), "snap-"));
  const dir = join(root, "corpus");
  cpSync(DEFAULT_CORPUS_DIR, dir, { recursive: true });
  return dir;
}

/** An extras file as a build with another key (another corpus or code) writes it. */
function otherBuildsExtras(snapshot: EngineSnapshot): string {
  return serializeSnapshot({ ...snapshot, extras: () => ({ ...snapshot.extras(), key: "another-build" }) })
    .extras;
}

describe("the prebuilt engine snapshot", () => {
  it("is built once, then loaded from disk while corpus and code are unchanged", () => {
    const dir = corpusCopy();
    const first = loadOrBuild(dir);
    expect(first.built).toBe(true);
    expect(existsSync(snapshotPath(dir))).toBe(true);
    const second = loadOrBuild(dir);
    expect(second.built).toBe(false);
    expect(second.snapshot.key).toBe(first.snapshot.key);
  });

  it("is rebuilt, never used stale, when a corpus file changes", () => {
    const dir = corpusCopy();
    const before = loadOrBuild(dir).snapshot;
    appendFileSync(
      join(dir, "004_96d12ec6751b792e.txt"),
      "\n\n> A brand new closing remark about tokenizers and their many quirks.\n",
    );
    const after = loadOrBuild(dir);
    expect(after.built).toBe(true);
    expect(after.snapshot.key).not.toBe(before.key);
    expect(QuoteEngine.fromSnapshot(after.snapshot).search("tokenizers quirks")[0]?.text).toContain(
      "tokenizers",
    );
  });

  it("is rebuilt when the file on disk is corrupt", () => {
    const dir = corpusCopy();
    loadOrBuild(dir);
    writeFileSync(snapshotPath(dir), "{ not json");
    expect(loadOrBuild(dir).built).toBe(true);
  });

  it("answers exactly like an engine built from scratch", () => {
    const dir = corpusCopy();
    loadOrBuild(dir);
    // From the files on disk, not from the build that wrote them.
    expect(loadOrBuild(dir).built).toBe(false);
    const cached = loadEngine(dir);
    const fresh = loadEngine(dir, { cache: false });
    for (const q of ["decade of agents", "what should kids study", "reinforcment lerning"]) {
      expect(fresh.search(q).length).toBeGreaterThan(0);
      expect(cached.search(q)).toEqual(fresh.search(q));
    }
    expect(cached.search("pizza")).toEqual([]);
  });

  it("opens asynchronously: builds a missing snapshot, then reads it", async () => {
    const dir = corpusCopy();
    expect(existsSync(snapshotPath(dir))).toBe(false);
    const built = await QuoteEngine.open(dir);
    expect(existsSync(snapshotPath(dir))).toBe(true);
    writeFileSync(snapshotPath(dir), "{ not json");
    const rebuilt = await QuoteEngine.open(dir);
    expect(rebuilt.search("decade of agents").map((r) => r.id)).toEqual(
      built.search("decade of agents").map((r) => r.id),
    );
    expect(loadOrBuild(dir).built).toBe(false);
  });

  it("reads the extras (context, spelling) from their own file when first needed, or at warm-up", async () => {
    const dir = corpusCopy();
    loadOrBuild(dir);
    const engine = await QuoteEngine.open(dir);
    const [hit] = engine.search("decade of agents");
    if (!hit) throw new Error("no result");
    expect(engine.context(hit.id).some((l) => l.quote)).toBe(true);
    expect(engine.search("reinforcment lerning").length).toBeGreaterThan(0);
    const warmed = await QuoteEngine.open(dir);
    warmed.warm();

    // Extras replaced after start by another build's: that engine says to restart, and the next
    // start rebuilds instead of failing the same way again.
    const engine2 = await QuoteEngine.open(dir);
    writeFileSync(extrasPath(snapshotPath(dir)), otherBuildsExtras(loadOrBuild(dir).snapshot));
    expect(warmed.context(hit.id).some((l) => l.quote)).toBe(true);
    expect(engine2.search("decade of agents")[0]?.id).toBe(hit.id);
    expect(() => engine2.context(hit.id)).toThrow(/index in \.cache changed or is unreadable: restart/);
    expect(loadOrBuild(dir).built).toBe(true);
  });

  it.each([
    ["corrupt", "{ not json"],
    ["from another build", null],
  ])("is rebuilt at start when its extras file is %s", async (_name, content) => {
    const dir = corpusCopy();
    const { snapshot } = loadOrBuild(dir);
    writeFileSync(extrasPath(snapshotPath(dir)), content ?? otherBuildsExtras(snapshot));
    expect(loadOrBuild(dir).built).toBe(true);
    const engine = await QuoteEngine.open(dir);
    const [hit] = engine.search("decade of agents");
    expect(hit && engine.context(hit.id).some((l) => l.quote)).toBe(true);
  });

  it("analyses queries with the stop words the index was built with, kept in the snapshot", () => {
    const { snapshot } = loadOrBuild(corpusCopy());
    expect(snapshot.stopWords).toEqual(expect.arrayContaining(["the", "yeah", "basically"]));
    expect(QuoteEngine.fromSnapshot(snapshot).search("tesla")).not.toEqual([]);
    const tesla = QuoteEngine.fromSnapshot({ ...snapshot, stopWords: [...snapshot.stopWords, "tesla"] });
    expect(tesla.search("tesla")).toEqual([]);
  });

  it("round-trips any text through its ASCII-only files", () => {
    const { snapshot } = loadOrBuild(corpusCopy());
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (text) => {
        const small: EngineSnapshot = {
          ...snapshot,
          corpus: { ...snapshot.corpus, hash: text },
          passages: [],
          index: { ...snapshot.index, ids: [], terms: [], fields: [] },
          extras: () => ({ key: snapshot.key, sources: [], vocabulary: [[text, 1]], common: [text] }),
        };
        const files = serializeSnapshot(small);
        for (const file of [files.main, files.extras]) expect(file).not.toMatch(/[^\p{ASCII}]/u);
        const back = parseSnapshot(files.main, () => files.extras);
        expect(back.corpus.hash).toBe(text);
        expect(back.extras().vocabulary).toEqual([[text, 1]]);
      }),
      { seed: 20_251_122, numRuns: 100 },
    );
  });
});
