import { describe, expect, it } from "vitest";
import { PARSERS } from "../../../src/core/corpus/formats/index.js";
import { CorpusError } from "../../../src/core/errors.js";
import { readFixture } from "../../helpers.js";

const speech = (blocks: ReturnType<(typeof PARSERS)["labeled"]>) => blocks.filter((b) => b.role === "speech");

describe("labeled lines (Name: text)", () => {
  const blocks = PARSERS.labeled(readFixture("formats/labeled.txt"), {
    file: "labeled.txt",
    body: { from: 4, to: 8 },
  });

  it("gives each labeled line to its speaker and appends unlabeled lines to the previous one", () => {
    expect(speech(blocks).map((b) => [b.label, b.text])).toEqual([
      ["Host", "Welcome, everyone."],
      [
        "Andrej Karpathy",
        "Thank you. It's great to be here. This line has no label and continues the previous speaker.",
      ],
      ["Audience Member", "What about agents?"],
      ["Andrej Karpathy", "Agents will take a decade."],
    ]);
  });

  it("keeps lines outside the body as boilerplate, even when they contain a colon", () => {
    const boilerplate = blocks.filter((b) => b.role === "boilerplate").map((b) => b.text);
    expect(boilerplate).toContain("Sign-off by the author: subscribe!");
    expect(boilerplate).toContain("Newsletter title");
  });

  it("records the source line of each block", () => {
    expect(speech(blocks)[1]?.marks.map((m) => m.line)).toEqual([5, 6]);
  });

  it("rejects text before the first label with the file and line", () => {
    expect(() => PARSERS.labeled("no label here\nHost: hi", { file: "x.txt" })).toThrow(
      /^Corpus: x\.txt:1: /,
    );
  });
});

describe("timestamped lines ([hh:mm:ss] **Name:** text)", () => {
  const blocks = PARSERS.timestamped(readFixture("formats/timestamped.txt"), { file: "t.txt" });

  it("splits turns at labels that start mid-line", () => {
    expect(blocks.map((b) => [b.label, b.text])).toEqual([
      ["Andrej Karpathy", "We're building ghosts. Not animals."],
      ["Dwarkesh Patel", "Why a decade?"],
      ["Andrej Karpathy", "Because it takes time. Lots of time. Yeah."],
      ["Dwarkesh Patel", "Interesting. And what about RL?"],
      ["Andrej Karpathy", "RL is terrible."],
    ]);
  });

  it("keeps each piece's timestamp in seconds", () => {
    expect(blocks[2]?.marks.map((m) => m.seconds)).toEqual([6, 9]);
    expect(blocks[4]?.marks[0]?.seconds).toBe(12);
  });

  it("skips a cut-off last line but rejects a malformed one elsewhere", () => {
    expect(() => PARSERS.timestamped("[00:01] **A:** x\n[00:00:02] **A:** y", { file: "t.txt" })).toThrow(
      /^Corpus: t\.txt:1: malformed timestamp/,
    );
  });

  it("rejects timestamps that go backwards", () => {
    expect(() => PARSERS.timestamped("[00:00:05] **A:** x\n[00:00:02] y", { file: "t.txt" })).toThrow(
      CorpusError,
    );
  });
});

describe("unlabeled paragraphs", () => {
  const text = readFixture("formats/paragraphs.txt");
  const blocks = PARSERS.paragraphs(text, { file: "p.txt", body: { from: 5, to: 11 } });

  it("makes one unlabeled block per paragraph of the body", () => {
    expect(speech(blocks).map((b) => b.text.slice(0, 20))).toEqual([
      "Welcome to the show.",
      "Thanks, happy to be ",
      "What do you think ab",
      "I think it's a techn",
    ]);
    expect(speech(blocks).every((b) => b.label === null)).toBe(true);
  });

  it("treats the title and the outro as boilerplate", () => {
    const boilerplate = blocks.filter((b) => b.role === "boilerplate").map((b) => b.text);
    expect(boilerplate).toEqual(["# Episode title", "Here is the transcript:", "Subscribe to the podcast."]);
  });
});

describe("blog post with block quotes", () => {
  const blocks = PARSERS.blog(readFixture("formats/blog.md"), { file: "b.md" });

  it("drops the front matter and joins consecutive quote lines into one quote", () => {
    expect(blocks.some((b) => b.text.includes("layout"))).toBe(false);
    expect(speech(blocks).map((b) => [b.label, b.text])).toEqual([
      [">", "Tesla is a robotics company. They build the machine that builds the thing."],
    ]);
  });

  it("keeps headings and the author's commentary as commentary, never speech", () => {
    const commentary = blocks.filter((b) => b.role === "commentary").map((b) => b.text);
    expect(commentary).toEqual([
      "Quoting the guest from the episode.",
      "Robots",
      "On robots:",
      "The author's closing remark.",
    ]);
  });

  it("rejects unclosed front matter", () => {
    expect(() => PARSERS.blog("---\ntitle: x\n\n> quote", { file: "b.md" })).toThrow(
      /^Corpus: b\.md:1: front matter/,
    );
  });
});
