import { z } from "zod";
import { QUERY_MAX_LENGTH } from "../src/core/engine.js";
import { normalizeWhitespace } from "../src/core/text.js";
import type { OptionDeclaration } from "./types.js";

/** The query as every platform must accept it: trimmed, not empty, not overlong. */
export const queryOption = z
  .string({ error: "Say what the quote should be about." })
  .transform(normalizeWhitespace)
  .pipe(
    z
      .string()
      .min(1, { error: "The query is empty: say what the quote should be about." })
      .max(QUERY_MAX_LENGTH, { error: `The query is too long: at most ${QUERY_MAX_LENGTH} characters.` }),
  );

export const sourceOption = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s || undefined)
  .optional();

export const SOURCE_OPTION: OptionDeclaration = {
  name: "source",
  description: "Only quotes from this source",
  required: false,
  sourceChoice: true,
};
