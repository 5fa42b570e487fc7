// zod's v3 API, shipped in the same zod package and kept by it: every CLI query parses its options, and
// v3 loads in 10 modules (150 KB) where v4's classic API loads 95 (850 KB), about 120 ms of a cold
// start on Node 20 (the README's CLI target). Boundaries that are not on that path (env, manifest,
// HTTP bodies) use v4.
import { z } from "zod/v3";
import { LIMIT_MAX, QUERY_MAX_LENGTH } from "../src/core/engine.js";
import { normalizeWhitespace } from "../src/core/text.js";
import type { OptionDeclaration, Surface } from "./types.js";

/**
 * One builder per kind of option value. Each returns the whole declaration — description, placeholder,
 * limits and the zod parser every surface runs — so a command lists its options and nothing else has to
 * know what they are.
 */

interface Common {
  description: string;
  required?: boolean;
  flag?: string;
  short?: string;
  surfaces?: readonly Surface[];
}

/** Text from a chat platform or a terminal, trimmed; empty counts as absent. Numbers stay numbers. */
function blankToUndefined(v: unknown): unknown {
  const s = typeof v === "string" ? normalizeWhitespace(v) : v;
  return s === "" ? undefined : s;
}

/** The value's schema, made optional unless required; a missing required value gets `missing`. */
function optionalUnless<S extends z.ZodType>(required: boolean, schema: S, missing: string) {
  return z.preprocess(
    blankToUndefined,
    required
      ? z
          .any()
          .refine((v) => v !== undefined, { message: missing })
          .pipe(schema)
      : schema.optional(),
  );
}

/** The query as every platform must accept it: trimmed, not empty, not overlong. */
export const queryValue = z
  .string({
    required_error: "Say what the quote should be about.",
    invalid_type_error: "Say what the quote should be about.",
  })
  .transform(normalizeWhitespace)
  .pipe(
    z
      .string()
      .min(1, { message: "The query is empty: say what the quote should be about." })
      .max(QUERY_MAX_LENGTH, { message: `The query is too long: at most ${QUERY_MAX_LENGTH} characters.` }),
  );

/** What to search for: the words typed after the command; autocompleted from the corpus on Discord. */
export function query({ description, ...rest }: Omit<Common, "required">) {
  return {
    kind: "query",
    description,
    required: true,
    placeholder: "<query>",
    positional: true,
    maxLength: QUERY_MAX_LENGTH,
    autocomplete: true,
    schema: queryValue,
    ...rest,
  } satisfies OptionDeclaration;
}

/** Free text typed after the command (no autocomplete): a message, a name. */
export function words({
  description,
  required = true,
  maxLength = 300,
  ...rest
}: Common & { maxLength?: number }) {
  const value = z.string().max(maxLength, { message: `At most ${maxLength} characters.` });
  return {
    kind: "words",
    description,
    required,
    placeholder: "<words>",
    positional: true,
    maxLength,
    schema: optionalUnless(required, value, "Say what it should be."),
    ...rest,
  } satisfies OptionDeclaration;
}

/** One of the corpus's sources, by id, in any case (`DWARKESH` is `dwarkesh`); the engine checks it exists. */
export function source({ description = "Only quotes from this source", ...rest }: Partial<Common> = {}) {
  return {
    kind: "source",
    description,
    required: false,
    placeholder: "<id>",
    short: "s",
    sourceChoice: true,
    schema: z.preprocess(blankToUndefined, z.string().toLowerCase().optional()),
    ...rest,
  } satisfies OptionDeclaration;
}

/** A whole number within [min, max]: from text ("3") or from Discord's integer option (3). */
export function integer({ min, max, ...common }: Common & { min: number; max: number }) {
  // Lower-case messages: the registry puts the option's name as the surface spells it in front.
  const value = z.coerce
    .number({ invalid_type_error: "must be a number" })
    .int({ message: "must be a whole number" })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });
  return {
    kind: "integer",
    required: false,
    placeholder: "<n>",
    min,
    max,
    ...common,
    schema: optionalUnless(common.required ?? false, value, "is missing"),
  } satisfies OptionDeclaration;
}

/** How many results: the CLI's `--limit`. */
export function limit(description = "How many results, 1 to 25") {
  return integer({ description, min: 1, max: LIMIT_MAX, flag: "limit", short: "n", surfaces: ["cli"] });
}

const HH_MM = /^([01]?\d|2[0-3]):([0-5]\d)$/u;

/** A time of day, `HH:MM` on a 24-hour clock (`9:00` is `09:00`). */
export function time(common: Common) {
  const value = z
    .string()
    .regex(HH_MM, { message: "The time must be HH:MM on a 24-hour clock, e.g. 09:30." })
    .transform((s) => s.padStart(5, "0"));
  return {
    kind: "time",
    placeholder: "<HH:MM>",
    ...common,
    required: common.required ?? false,
    schema: optionalUnless(common.required ?? false, value, "Say at what time, as HH:MM."),
  } satisfies OptionDeclaration;
}

/** Every IANA time zone this Node knows, for validation and autocomplete; listed on first use (costs ms). */
let zones: { list: readonly string[]; byLower: Map<string, string> } | undefined;
export function timeZones(): { list: readonly string[]; byLower: Map<string, string> } {
  if (!zones) {
    const list = Intl.supportedValuesOf("timeZone");
    zones = { list, byLower: new Map([...list, "UTC"].map((z) => [z.toLowerCase(), z])) };
  }
  return zones;
}

/** An IANA time zone (`Europe/Berlin`, any case), autocompleted; stored in its canonical spelling. */
export function timeZone(common: Common) {
  const value = z.string().transform((s, ctx) => {
    const zone = timeZones().byLower.get(s.toLowerCase());
    if (zone) return zone;
    ctx.addIssue({
      code: "custom",
      message: `Unknown time zone "${s}": use an IANA name such as Europe/Berlin.`,
    });
    return z.NEVER;
  });
  return {
    kind: "timeZone",
    placeholder: "<zone>",
    autocomplete: true,
    ...common,
    required: common.required ?? false,
    schema: optionalUnless(common.required ?? false, value, "Say which time zone, e.g. Europe/Berlin."),
  } satisfies OptionDeclaration;
}
