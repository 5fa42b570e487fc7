import type { Parser } from "./block.js";
import { parseBlog } from "./blog.js";
import { parseLabeled } from "./labeled.js";
import { parseParagraphs } from "./paragraphs.js";
import { parseTimestamped } from "./timestamped.js";

export type { Block, Mark, ParseOptions, Parser } from "./block.js";

/** One parser per transcript format; a new source of a known format needs only a file and a manifest entry. */
export const PARSERS = {
  labeled: parseLabeled,
  timestamped: parseTimestamped,
  paragraphs: parseParagraphs,
  blog: parseBlog,
} as const satisfies Record<string, Parser>;

export type FormatName = keyof typeof PARSERS;
export const FORMAT_NAMES = Object.keys(PARSERS) as [FormatName, ...FormatName[]];
