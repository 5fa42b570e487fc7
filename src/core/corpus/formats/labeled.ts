import { CorpusError } from "../../errors.js";
import { type Block, BlockBuilder, inBody, numberedLines, type Parser } from "./block.js";

/** `Name: text` with a short capitalised name: "Andrej Karpathy:", "Host:", "Audience Member:". */
const LABELED_LINE = /^([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):\s+(\S.*)$/u;

/**
 * One utterance per line, `Name: text`. Lines in the body without a label continue the previous
 * speaker; lines outside the body are the publisher's boilerplate.
 */
export const parseLabeled: Parser = (text, { file, body }) => {
  const blocks: Block[] = [];
  let current: BlockBuilder | null = null;
  const flush = () => {
    if (current && !current.empty) blocks.push(current.build());
    current = null;
  };
  for (const { line, text: raw } of numberedLines(text)) {
    if (!raw.trim()) continue;
    if (!inBody(line, body)) {
      flush();
      const b = new BlockBuilder(null, "boilerplate");
      b.add(raw, line);
      blocks.push(b.build());
      continue;
    }
    const m = LABELED_LINE.exec(raw);
    if (m) {
      flush();
      current = new BlockBuilder(m[1] ?? null, "speech");
      current.add(m[2] ?? "", line);
    } else if (current) {
      (current as BlockBuilder).add(raw, line);
    } else {
      throw new CorpusError(
        file,
        line,
        "text before the first `Name:` label; set the manifest's `body` range",
      );
    }
  }
  flush();
  return blocks;
};
