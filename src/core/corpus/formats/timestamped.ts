import { CorpusError } from "../../errors.js";
import { type Block, BlockBuilder, inBody, numberedLines, type Parser } from "./block.js";

const TIMESTAMP = /^\[(\d{1,2}):([0-5]\d):([0-5]\d)\]\s?(.*)$/u;
/** A label may also start mid-line: `...end of answer. **Dwarkesh Patel:** Next question`. */
const LABEL = /\*\*([^*\n]{1,60}?):\*\*/gu;

/**
 * `[hh:mm:ss] **Name:** text`, one line per utterance fragment. Lines without a label continue the
 * last speaker. A cut-off last line (`[01:26:`) is the end of an interrupted transcript and is skipped.
 */
export const parseTimestamped: Parser = (text, { file, body }) => {
  const blocks: Block[] = [];
  let current: BlockBuilder | null = null;
  let lastSeconds: number | undefined;
  const flush = () => {
    if (current && !current.empty) blocks.push(current.build());
    current = null;
  };
  const lines = numberedLines(text);
  const lastContentLine = lines.findLast((l) => l.text.trim())?.line ?? 0;

  for (const { line, text: raw } of lines) {
    if (!raw.trim() || !inBody(line, body)) continue;
    const stamp = TIMESTAMP.exec(raw);
    let rest = raw;
    if (stamp) {
      const seconds = Number(stamp[1]) * 3600 + Number(stamp[2]) * 60 + Number(stamp[3]);
      if (lastSeconds !== undefined && seconds < lastSeconds)
        throw new CorpusError(file, line, `timestamp goes backwards (${stamp[0].slice(0, 10)})`);
      lastSeconds = seconds;
      rest = stamp[4] ?? "";
    } else if (/^\[\d/u.test(raw)) {
      if (line === lastContentLine) continue;
      throw new CorpusError(file, line, `malformed timestamp "${raw.slice(0, 12)}"`);
    }

    let cursor = 0;
    for (const m of rest.matchAll(LABEL)) {
      const before = rest.slice(cursor, m.index);
      if (before.trim()) {
        if (!current) throw new CorpusError(file, line, "text before the first **Name:** label");
        (current as BlockBuilder).add(before, line, lastSeconds);
      }
      flush();
      current = new BlockBuilder(m[1]?.trim() ?? null, "speech");
      cursor = m.index + m[0].length;
    }
    const tail = rest.slice(cursor);
    if (tail.trim()) {
      if (!current) throw new CorpusError(file, line, "text before the first **Name:** label");
      (current as BlockBuilder).add(tail, line, lastSeconds);
    }
  }
  flush();
  if (lastSeconds === undefined) throw new CorpusError(file, 1, "no `[hh:mm:ss]` timestamp found");
  return blocks;
};
