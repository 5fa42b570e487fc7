import { type Block, BlockBuilder, inBody, numberedLines, type Parser } from "./block.js";

/**
 * Unlabeled paragraphs separated by blank lines. Who speaks is left to speaker inference; lines
 * outside the body (titles, links, outros) are boilerplate.
 */
export const parseParagraphs: Parser = (text, { body }) => {
  const blocks: Block[] = [];
  let current: BlockBuilder | null = null;
  const flush = () => {
    if (current && !current.empty) blocks.push(current.build());
    current = null;
  };
  for (const { line, text: raw } of numberedLines(text)) {
    const speech = inBody(line, body);
    if (!raw.trim()) {
      flush();
      continue;
    }
    const role = speech ? "speech" : "boilerplate";
    if (current && current.role !== role) flush();
    current ??= new BlockBuilder(null, role);
    current.add(raw, line);
  }
  flush();
  return blocks;
};
