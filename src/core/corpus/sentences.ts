import { split } from "sentence-splitter";
import type { Block } from "./formats/index.js";

/** One sentence of a block, with where it came from. Speaker attribution works at this grain. */
export interface Sentence {
  /** Index of the block in its source. */
  block: number;
  /** Offsets in the block's text. */
  start: number;
  end: number;
  text: string;
  line: number;
  seconds?: number;
  role: Block["role"];
  /** The block's speaker label, if the format has one. */
  label: string | null;
}

/**
 * Splits every block into sentences with sentence-splitter (abbreviations, decimals and ellipses
 * handled), keeping exact offsets so passages stay verbatim slices of the block text.
 */
export function splitSentences(blocks: readonly Block[]): Sentence[] {
  const out: Sentence[] = [];
  blocks.forEach((block, index) => {
    for (const node of split(block.text)) {
      if (node.type !== "Sentence") continue;
      let [start, end] = node.range;
      while (start < end && /\s/u.test(block.text[start] ?? "")) start++;
      while (end > start && /\s/u.test(block.text[end - 1] ?? "")) end--;
      if (start === end) continue;
      const mark = block.marks.findLast((m) => m.at <= start) ?? block.marks[0];
      const sentence: Sentence = {
        block: index,
        start,
        end,
        text: block.text.slice(start, end),
        line: mark?.line ?? 0,
        role: block.role,
        label: block.label,
      };
      if (mark?.seconds !== undefined) sentence.seconds = mark.seconds;
      out.push(sentence);
    }
  });
  return out;
}

/** A question, or a question cut off mid-sentence ("Is it recent or-"). */
export function isQuestion(text: string): boolean {
  return /\?["”’)]*$/u.test(text) || /\b(or|and)\s*[-–—]$/u.test(text);
}

/**
 * A statement with a question tag ("…on top of our neocortex, right?"): the speaker checks the
 * listener is following, they do not hand over the floor.
 */
const QUESTION_OPENER =
  /^(?:(?:so|and|but|or|like|okay|ok|yeah|well|now|i mean)[,\s]+)*(?:how|what|why|when|where|who|which|whose|do|does|did|is|are|was|were|can|could|would|should|will|have|has)\b/iu;

export function isTagQuestion(text: string): boolean {
  return (
    /,\s*(right|you know|no|isn't it|don't you think|yeah)\?["”’)]*$/iu.test(text) &&
    // "How far does that get us, right?" is still a question, also after a "So" or an "And I mean".
    !QUESTION_OPENER.test(text)
  );
}

/** Stage directions such as "(audience applauding)" are nobody's words. */
export function isStageDirection(text: string): boolean {
  return /^[([][^)\]]*[)\]]\.?$/u.test(text);
}
