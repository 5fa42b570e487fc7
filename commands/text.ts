import { normalizeWhitespace } from "../src/core/text.js";
import { findCommand } from "./registry.js";

export interface ParsedText {
  command: string;
  options: Record<string, string>;
}

/** `source:<id>` (or `source=<id>`) anywhere in the text. */
const SOURCE_TOKEN = /(?:^|\s)source[:=](\S*)/iu;

/**
 * Reads a command typed as text, the way Slack delivers it and the console takes it:
 * `[/karpathy] [quote|random|sources|help] [words…] [source:<id>]`. Text that does not start with a
 * command name is a quote query, so `/karpathy agents` just works.
 */
export function parseCommandText(raw: string): ParsedText {
  let text = normalizeWhitespace(raw);
  text = text.replace(/^\/?karpathy\b\s*/iu, "");
  const options: Record<string, string> = {};
  const source = SOURCE_TOKEN.exec(text);
  if (source) {
    options.source = source[1] ?? "";
    text = text.replace(SOURCE_TOKEN, " ").trim();
  }
  if (!text) return { command: options.source !== undefined ? "random" : "help", options };
  const [first = "", ...rest] = text.split(" ");
  const named = findCommand(first);
  if (!named) return { command: "quote", options: { ...options, query: text } };
  const remainder = rest.join(" ");
  if (named.options.some((o) => o.name === "query")) options.query = remainder;
  return { command: named.name, options };
}
