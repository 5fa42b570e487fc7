import { describe, expect, it } from "vitest";
import { findDuplicates } from "../../src/core/dedupe.js";
import type { Passage } from "../../src/core/passages.js";

const passage = (id: string, text: string): Passage => ({
  id,
  sourceId: id.split(":")[0] as string,
  n: Number(id.split(":")[1]),
  text,
  speaker: "karpathy",
  line: 1,
  prompt: "",
  around: "",
  sentences: [0, 0],
});

describe("duplicate passages", () => {
  it("finds a blog quote that spans two transcript passages as a duplicate of each", () => {
    const blog = passage(
      "blog:0",
      "I think that Tesla has a software problem and I think Waymo has a hardware problem is the way I put it. I think software problems are much easier. Tesla has deployment of all these cars on earth at scale and I think Waymo needs to get there.",
    );
    const before = passage(
      "talk:7",
      "And then staying for a minute in the self-driving space, I think people think that Waymo is ahead of Tesla. I think personally Tesla is ahead of Waymo and I know it doesn't look like that, but I'm still very bullish on Tesla and its self-driving program. I think that Tesla has a software problem and I think Waymo has a hardware problem is the way I put it.",
    );
    const after = passage(
      "talk:8",
      "And I think software problems are much easier. Tesla has a deployment of all these cars on earth, like at scale. And I think Waymo needs to get there. And so the moment Tesla sort of like gets to the point where they can actually deploy this and it actually works, I think it's going to be really incredible.",
    );
    const dupes = findDuplicates([blog, before, after]);
    expect([...(dupes.get("blog:0")?.keys() ?? [])].sort()).toEqual(["talk:7", "talk:8"]);
  });

  it("does not join passages that only share the stock phrases of speech", () => {
    const a = passage(
      "talk:1",
      "I think that a lot of the time these models are kind of like a compression of the internet, and so they remember a lot of the documents they read.",
    );
    const b = passage(
      "talk:2",
      "Cars are robots, and I think that a lot of the work at Tesla was kind of like building the data engine for the whole fleet over many years.",
    );
    expect(findDuplicates([a, b]).size).toBe(0);
  });

  const PHRASE = "to all the different nooks and crannies of the economy";
  const vibrant = `There will be a vibrant ecosystem of apps that reach out ${PHRASE}, built on top of these models.`;
  const cpu = `You can customize the CPU and connect it ${PHRASE} the way you plug peripherals into a computer.`;

  it("does not join two moments of one transcript that repeat a phrase", () => {
    expect(findDuplicates([passage("talk:7", cpu), passage("talk:13", vibrant)]).size).toBe(0);
  });

  it("does not join a phrase repeated at another moment of the twin transcript", () => {
    const dupes = findDuplicates([
      passage("talk:7", cpu),
      passage("talk:13", vibrant),
      passage("letter:14", vibrant.replace("There will be", "And there'll be")),
      passage("letter:7", cpu),
    ]);
    expect([...(dupes.get("talk:13")?.keys() ?? [])]).toEqual(["letter:14"]);
    expect([...(dupes.get("talk:7")?.keys() ?? [])]).toEqual(["letter:7"]);
  });
});
