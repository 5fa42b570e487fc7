import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { isNode, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { CorpusError } from "../errors.js";
import { FORMAT_NAMES } from "./formats/index.js";

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,40}$/, { error: "must be a short lowercase id (a-z, 0-9, -)" });

/** A curated speaker fix: every sentence overlapping the text from `at` to the end of `until` gets `speaker`. */
const correction = z.strictObject({
  at: z.string().min(4, { error: "must quote at least 4 characters of the source" }),
  until: z.string().min(8).optional(),
  /** When `at` is not unique (a lone "Yeah."), the text it follows, to find the right one. */
  after: z.string().min(8).optional(),
  /** A person id, or `null` to drop the span from the quotable set. */
  speaker: id.nullable(),
  why: z.string().optional(),
});

const lineRange = z
  .strictObject({ from: z.int().positive(), to: z.int().positive() })
  .refine((r) => r.from <= r.to, { error: "`from` must not be after `to`" });

const source = z.strictObject({
  /** Short id users type in `source:<id>`. */
  id,
  file: z.string().regex(/^[\w.-]+\.(txt|md)$/, { error: "must be a .txt or .md file name in corpus/" }),
  title: z.string().min(1),
  /** The show (podcast) or event (talk) the conversation belongs to. */
  show: z.string().min(1).optional(),
  event: z.string().min(1).optional(),
  /** Who published this transcript, when it is not the show itself (a newsletter, a blog). */
  publisher: z.string().min(1).optional(),
  /** ISO date, as precise as known: `2024`, `2024-03` or `2024-03-20`. */
  date: z.preprocess(
    (v) => (typeof v === "number" ? String(v) : v),
    z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, { error: "must be YYYY, YYYY-MM or YYYY-MM-DD" }),
  ),
  url: z.url({ protocol: /^https$/ }),
  /** Whether `url` is a video whose timestamps the transcript's `[hh:mm:ss]` marks match. */
  timestampsMatchUrl: z.boolean().default(false),
  format: z.enum(FORMAT_NAMES),
  /** Speaker label as written in the file → person id. Block quotes (`>`) use the label `>`. */
  speakers: z.record(z.string().min(1), id).default({}),
  /** People who speak in an unlabeled transcript besides the subject. */
  others: z.array(id).default([]),
  /** Lines of the file that hold the conversation; everything else is the publisher's boilerplate. */
  body: lineRange.optional(),
  /**
   * Lines of a cold open: clips from later in the episode cut together. Each sentence there is a
   * quote on its own, never joined to the next, which may come from another moment.
   */
  montage: lineRange.optional(),
  /** Another transcript of the same conversation: used to infer speakers and to merge duplicates. */
  twin: id.optional(),
  /**
   * The text was edited from what was said (a blog's block quotes, a newsletter's cleaned-up
   * transcript): where a spoken transcript holds the same passage, that one is shown and this credited.
   */
  edited: z.boolean().default(false),
  corrections: z.array(correction).default([]),
});

const person = z.strictObject({ name: z.string().min(1) });

export const manifestSchema = z
  .strictObject({
    /** Person id of the one person this bot quotes. */
    subject: id,
    people: z.record(id, person),
    sources: z.array(source).min(1),
    /**
     * Names as users type them → as the transcripts' speech-to-text spelled them ("deepseek" →
     * "DeepSeq"): errors no spelling or sound match recovers. A query word matches its spellings as
     * if typed; quotes stay as transcribed.
     */
    aliases: z.record(z.string().regex(/^[\p{L}\p{N} -]+$/u), z.array(z.string().min(1)).min(1)).default({}),
  })
  .superRefine((m, ctx) => {
    const ids = new Set<string>();
    m.sources.forEach((s, i) => {
      if (ids.has(s.id))
        ctx.addIssue({ code: "custom", path: ["sources", i, "id"], message: `duplicate id "${s.id}"` });
      ids.add(s.id);
      for (const [label, who] of Object.entries(s.speakers))
        if (!m.people[who])
          ctx.addIssue({
            code: "custom",
            path: ["sources", i, "speakers", label],
            message: `unknown person "${who}"`,
          });
      s.corrections.forEach((c, j) => {
        if (c.speaker && !m.people[c.speaker])
          ctx.addIssue({
            code: "custom",
            path: ["sources", i, "corrections", j, "speaker"],
            message: `unknown person "${c.speaker}"`,
          });
      });
    });
    m.sources.forEach((s, i) => {
      if (s.twin && !ids.has(s.twin))
        ctx.addIssue({ code: "custom", path: ["sources", i, "twin"], message: `unknown source "${s.twin}"` });
    });
    if (!m.people[m.subject]) ctx.addIssue({ code: "custom", path: ["subject"], message: "not in people" });
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type SourceManifest = Manifest["sources"][number];
export type Correction = SourceManifest["corrections"][number];

/** Reads and validates a YAML manifest; any problem becomes `Corpus: manifest.yml:<line>: <problem>`. */
export function loadManifest(path: string): Manifest {
  const file = basename(path);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new CorpusError(file, 0, "cannot read the manifest");
  }
  return parseManifest(text, file);
}

export function parseManifest(text: string, file = "manifest.yml"): Manifest {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = lines.linePos(yamlError.pos[0]).line;
    throw new CorpusError(file, line, yamlError.message.split("\n")[0] ?? "invalid YAML");
  }
  const parsed = manifestSchema.safeParse(doc.toJS());
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (!issue) throw new CorpusError(file, 1, "invalid manifest");
  // Point at the deepest node of the path that exists in the document.
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  let line = 1;
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      line = lines.linePos(node.range[0]).line;
      break;
    }
  }
  const where = path.length ? `${path.join(".")}: ` : "";
  throw new CorpusError(file, line, `${where}${issue.message}`);
}
