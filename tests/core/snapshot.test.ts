import { appendFileSync, cpSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CORPUS_DIR, QuoteEngine } from "../../src/core/engine.js";
import { loadOrBuild, snapshotPath } from "../../src/core/snapshot.js";

function corpusCopy(): string {
  const root = mkdtempSync(join(tmpdir(), "snap-"));
  const dir = join(root, "corpus");
  cpSync(DEFAULT_CORPUS_DIR, dir, { recursive: true });
  return dir;
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
    const cached = QuoteEngine.load(dir);
    const fresh = QuoteEngine.load(dir, { cache: false });
    for (const q of ["decade of agents", "what should kids study", "reinforcment lerning", "pizza"])
      expect(cached.search(q).map((r) => r.id)).toEqual(fresh.search(q).map((r) => r.id));
  });
});
