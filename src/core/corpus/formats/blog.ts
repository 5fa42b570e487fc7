import { CorpusError } from "../../errors.js";
import { type Block, BlockBuilder, numberedLines, type Parser } from "./block.js";

/** The label block quotes carry; the manifest maps it to the quoted person. */
export const QUOTE_LABEL = ">";

/**
 * A blog post: YAML front matter (dropped), the author's headings and one-line commentary (kept as
 * search context, never quoted) and `> ` block quotes of the subject's words (speech).
 */
export const parseBlog: Parser = (text, { file }) => {
  const lines = numberedLines(text);
  let start = 0;
  if (lines[0]?.text.trim() === "---") {
    const end = lines.findIndex((l, i) => i > 0 && l.text.trim() === "---");
    if (end < 0) throw new CorpusError(file, 1, "front matter is not closed by `---`");
    start = end + 1;
  }
  const blocks: Block[] = [];
  let current: BlockBuilder | null = null;
  const flush = () => {
    if (current && !current.empty) blocks.push(current.build());
    current = null;
  };
  for (const { line, text: raw } of lines.slice(start)) {
    if (!raw.trim()) {
      flush();
      continue;
    }
    const quote = /^\s*>\s?(.*)$/u.exec(raw);
    if (quote) {
      if (current && current.role !== "speech") flush();
      current ??= new BlockBuilder(QUOTE_LABEL, "speech");
      current.add(quote[1] ?? "", line);
    } else {
      // Each heading or commentary line is its own block: it introduces the quote after it.
      flush();
      const b = new BlockBuilder(null, "commentary");
      b.add(raw.replace(/^#+\s*/u, ""), line);
      blocks.push(b.build());
    }
  }
  flush();
  return blocks;
};
