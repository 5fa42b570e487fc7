import { describe, expect, it } from "vitest";
import { loadCorpus, type ProcessedCorpus } from "../../../src/core/corpus/load.js";
import { DEFAULT_CORPUS_DIR } from "../../../src/core/engine.js";
import { loadOracle, scoreAttribution } from "../../../src/eval/attribution.js";
import { fixture, realEngine } from "../../helpers.js";

/** The hand-labeled transcripts (tests/fixtures/speakers/README.md) score the inference. */
function score(corpus: ProcessedCorpus, id: string, turns: string) {
  const source = corpus.sources.find((s) => s.meta.id === id);
  if (!source) throw new Error(`no source ${id}`);
  return scoreAttribution(
    source,
    loadOracle(fixture(`speakers/${turns}`), `${DEFAULT_CORPUS_DIR}/${source.meta.file}`),
  );
}

describe("speaker inference without curated corrections", () => {
  const raw = loadCorpus(DEFAULT_CORPUS_DIR, { corrections: false });

  it("aligns the unlabeled Sequoia transcript with its labeled twin almost perfectly", () => {
    const s = score(raw, "sequoia", "001.turns.json");
    expect(s.precision).toBeGreaterThanOrEqual(0.99);
    expect(s.recall).toBeGreaterThanOrEqual(0.95);
  });

  it("reads the No Priors interview's shape well enough that corrections are few", () => {
    const s = score(raw, "nopriors", "003.turns.json");
    expect(s.precision).toBeGreaterThanOrEqual(0.9);
    // An answer that checks the listener follows ("…so I'm hoping it can destroy that, right?") is
    // still an answer: a tag question does not hand the floor to the host (0.829 before, 0.864 after).
    // A host's "Right, but what about…" after an answer takes the floor back: the answer before it
    // stays the guest's (0.893).
    expect(s.recall).toBeGreaterThanOrEqual(0.88);
  });
});

describe("speaker attribution with the manifest's corrections", () => {
  const corpus = loadCorpus(DEFAULT_CORPUS_DIR);

  it.each([
    ["sequoia", "001.turns.json"],
    ["nopriors", "003.turns.json"],
  ])("gives %s no sentence of anyone else to Karpathy", (id, turns) => {
    const s = score(corpus, id, turns);
    expect(s.errors).toEqual([]);
    expect(s.recall).toBeGreaterThanOrEqual(0.85);
  });

  it.each([
    // The interviewer's words that the Dwarkesh transcript labels as Karpathy's.
    "I'm going to take a second to digest that",
    "One clarification question I can ask",
    "Yeah, I mean, just like if you look at the trend",
    "We can see this liberation though and into the",
    // The No Priors hosts' remarks inside unlabeled paragraphs.
    "The CEO is like a really brilliant cloud model",
    // Host lines the blog folds into its Karpathy block quotes.
    "the CEO is a really brilliant cloud model",
    "Is that like 3 billion parameters, is that 20 billion parameters?",
    "I did a math degree and I felt like",
    "Hi, listeners. Welcome back to No Priors",
    // Questions and introductions in the Sequoia talk.
    "I'm thrilled to introduce our next and final speaker",
    "what were some of your favorite moments working from here",
    // Newsletter and blog authors.
    "Welcome to A Letter a Day",
    "Karpathy is bullish on Tesla winning the TAM",
  ])("never quotes someone else's words: %s", (words) => {
    const hits = realEngine().search(words, { limit: 25 });
    const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/gu, "");
    expect(hits.filter((h) => squash(h.text).includes(squash(words)))).toEqual([]);
  });

  it("quotes nothing from the blog that the episode's transcript gives to a host or leaves unclear", () => {
    const corpus = loadCorpus(DEFAULT_CORPUS_DIR);
    const nopriors = corpus.sources.find((s) => s.meta.id === "nopriors");
    if (!nopriors) throw new Error("no nopriors");
    const oracle = loadOracle(
      fixture("speakers/003.turns.json"),
      `${DEFAULT_CORPUS_DIR}/${nopriors.meta.file}`,
    );
    // Word 5-grams of everything the hand labels give to anyone but Karpathy.
    const words = (t: string) =>
      t
        .toLowerCase()
        .replace(/['’]/gu, "")
        .match(/[a-z0-9]+/gu) ?? [];
    const notHis = new Set<string>();
    let run = "";
    for (let i = 0; i < oracle.text.length; i++) {
      if (oracle.speakerAt(i) !== "karpathy") run += oracle.text[i];
      else if (run) {
        const w = words(run);
        for (let k = 0; k + 5 <= w.length; k++) notHis.add(w.slice(k, k + 5).join(" "));
        run = "";
      }
    }
    const blog = realEngine()
      .search("model robot tesla education brain data agents", { limit: 25, source: "nopriors-blog" })
      .concat(
        Array.from({ length: 60 }, (_, n) => realEngine().get(`nopriors-blog:${n}`)).filter(
          (r) => r !== undefined,
        ),
      );
    expect(notHis.size).toBeGreaterThan(0);
    expect(blog.length).toBeGreaterThan(0);
    for (const r of blog) {
      const w = words(r.text);
      const shared = w
        .slice(0, -4)
        .map((_, k) => w.slice(k, k + 5).join(" "))
        .filter((g) => notHis.has(g));
      expect(shared, r.id).toEqual([]);
    }
  });

  it('quotes an answer that the host follows with an unpunctuated "Right, but what about…"', () => {
    const hits = realEngine().search("rope is the only thing that's slotted in", {
      limit: 3,
      source: "nopriors",
    });
    expect(hits[0]?.text).toContain("rope is the only thing that's slotted in");
    expect(hits[0]?.speaker).toBe("Andrej Karpathy");
  });

  it("quotes the block quotes of the blog as Karpathy's", () => {
    const hits = realEngine().search("It's like an arbitrage on sensors", {
      limit: 5,
      source: "nopriors-blog",
    });
    expect(hits[0]?.text).toContain("arbitrage on sensors");
  });
});
