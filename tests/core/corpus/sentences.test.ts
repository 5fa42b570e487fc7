import { describe, expect, it } from "vitest";
import { isQuestion, isTagQuestion } from "../../../src/core/corpus/sentences.js";

describe("questions in transcripts", () => {
  it.each([
    "And I see this as kind of like an exocortex, we're building on top of our neocortex, right?",
    "It just turns out to be in the cloud, you know?",
    "That's the whole point, isn't it?",
  ])("reads a statement with a question tag as a statement: %j", (text) => {
    expect(isQuestion(text)).toBe(true);
    expect(isTagQuestion(text)).toBe(true);
  });

  it.each([
    "How much do you think synthetic data is, or how far does that get us, right?",
    "What do you think about that?",
    "Is it the data, right?",
    "So where does that leave us?",
    "So where does that leave us, right?",
    "And I mean, how do you see it, right?",
    "And I think that's right.",
  ])("keeps a real question (or a statement) out of the tags: %j", (text) => {
    expect(isTagQuestion(text)).toBe(false);
  });
});
