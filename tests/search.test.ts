import { describe, expect, it } from "vitest";
import { realEngine } from "./helpers.js";

/** Ranking on the real corpus, one case per kind of query; each comment says why the result ranks where it does. */
describe("search ranking", () => {
  const engine = realEngine();
  const top = (q: string, source?: string) => engine.search(q, { limit: 5, source })[0]?.text ?? "";

  it.each([
    // Two rare words that only this answer has together.
    ["tesla lidar", /expensive sensors/],
    // A misspelt word is corrected against the corpus vocabulary ("reinforcment" → "reinforcement").
    ["reinforcment lerning", /reinforcement learning/i],
    // A swap typo ("telsa") is one edit, not two.
    ["telsa software waymo hardware", /software problem/],
    // The interviewer's question names the topic ("study") the answer never says; it is indexed as context.
    ["what should kids study", /math, physics, CS/i],
    // The transcript's own spelling ("cloud and codecs") is found from the real names.
    ["claude codex agents", /cloud and codecs/],
  ])("ranks the answer to %j first", (query, expected) => {
    expect(top(query)).toMatch(expected);
  });

  it.each([
    // A name plus a word the corpus never says (a model number, a surname, a year) still finds the name.
    ["unitree g1", /Unitree/],
    ["waymo 2031", /Waymo/],
    // A name as the transcript heard it: by sound ("lecun" → "LaCoon"), or the manifest's alias.
    ["yann lecun", /LaCoon/],
    ["optimus", /optimist|Optimus/i],
    // A synonym alone is enough: the transcripts' "cloud" is Claude.
    ["claude", /cloud/i],
    // A compound written as one word, when the quotes say its halves together.
    ["selfdriving cars", /self-driving/i],
    ["instructgpt", /InstructGPT|instruct/i],
    // Enter on a half-typed last word searches what autocomplete completed it to.
    ["decade of ag", /decade of agents/],
  ])("finds %j", (query, expected) => {
    expect(
      engine
        .search(query, { limit: 3 })
        .map((r) => r.text)
        .join("\n"),
    ).toMatch(expected);
  });

  it("never 'corrects' an everyday word into a corpus word", () => {
    // "bold" is one edit from "old", a corpus word; it is English, not a typo.
    expect(engine.search("bold")).toEqual([]);
    expect(engine.readAs("bold")).toBeUndefined();
  });

  it("takes no short word for one with another first letter", () => {
    // "router" is one edit from "outer", a corpus word; typists keep the first letter.
    expect(engine.readAs("reset my router")).toBeUndefined();
    expect(engine.search("how do i reset my router")).toEqual([]);
  });

  it("says how it read a query when it corrected a word, and only then", () => {
    expect(engine.readAs("telsa lerning")).toBe("tesla learning");
    expect(engine.readAs("reinforcement learning")).toBeUndefined();
  });

  it("ignores invisible characters pasted inside a word", () => {
    for (const hidden of ["\u200b", "\u00ad", "\u2060", "\ufeff"])
      expect(top(`tesla li${hidden}dar`)).toMatch(/expensive sensors/);
  });

  it("credits both transcripts when they hold the same passage, and shows it once", () => {
    const [first] = engine.search("LLM OS", { limit: 5 });
    expect(first?.alsoIn.length).toBeGreaterThan(0);
    const sources = new Set([first?.source.id, ...(first?.alsoIn.map((a) => a.source.id) ?? [])]);
    expect(sources).toEqual(new Set(["sequoia", "sequoia-letter"]));
  });

  it("filters by source", () => {
    const results = engine.search("agents", { limit: 5, source: "sequoia" });
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.source.id).toBe("sequoia");
  });

  it.each([
    "best pizza in naples",
    "kubernetes helm charts",
    "taylor swift tour dates",
    "zzzz qqqq",
    "what's the capital of australia",
    "how do I center a div",
    // Only everyday words the corpus says no more than everyday speech does.
    "thanks",
    "how to fix wifi",
    // A stranger's identifier of two everyday words is not split into a compound of ours.
    "react useEffect cleanup function",
  ])("answers the off-topic query %j with nothing", (query) => {
    expect(engine.search(query)).toEqual([]);
  });

  it("gives a random quote, optionally from one source, reproducibly for a seeded generator", () => {
    const a = engine.random({ source: "dwarkesh" }, () => 0.5);
    expect(a.source.id).toBe("dwarkesh");
    expect(engine.random({ source: "dwarkesh" }, () => 0.5).id).toBe(a.id);
  });

  it("shows the exchange around a quote, with the question that prompted it", () => {
    const [r] = engine.search("what should kids study", { limit: 1 });
    const lines = engine.context(r?.id ?? "");
    expect(lines.some((l) => l.quote && l.speaker === "Andrej Karpathy")).toBe(true);
    expect(lines.some((l) => !l.quote && l.speaker !== "Andrej Karpathy")).toBe(true);
  });
});

describe("what he said beats an edited copy", () => {
  const engine = realEngine();

  it("shows the spoken transcript and credits the blog or newsletter that edited it", () => {
    let checked = 0;
    for (const q of [
      "step two of alphago",
      "llm os",
      "exocortex",
      "synthetic data",
      "tesla robotics company",
    ])
      for (const r of engine.search(q, { limit: 5 })) {
        const edited = r.alsoIn.filter((a) => ["nopriors-blog", "sequoia-letter"].includes(a.source.id));
        if (!edited.length) continue;
        checked++;
        expect(["nopriors", "sequoia"]).toContain(r.source.id);
      }
    expect(checked).toBeGreaterThan(0);
  });

  it("still shows the edited copy when the search is limited to its source", () => {
    const results = engine.search("synthetic data", { source: "nopriors-blog" });
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.source.id).toBe("nopriors-blog");
  });
});

describe("the blog's headings", () => {
  const engine = realEngine();

  it("find the spoken passage they introduce, which is shown with the blog credited", () => {
    // "The roadmap to consumer household robots:" is the blog's line, never quoted; the transcript
    // passage it introduces never says "roadmap", "consumer" or "household".
    const [first] = engine.search("roadmap to consumer household robots");
    expect(first?.source.id).toBe("nopriors");
    expect(first?.alsoIn.map((a) => a.source.id)).toContain("nopriors-blog");
    expect(first?.text).not.toMatch(/roadmap/i);
  });
});
