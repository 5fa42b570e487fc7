import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CorpusError } from "../errors.js";
import { type Attribution, attribute } from "../speakers/attribute.js";
import { TwinEvidence } from "../speakers/twin-evidence.js";
import { type Block, PARSERS } from "./formats/index.js";
import { loadManifest, type Manifest, type SourceManifest } from "./manifest.js";
import { type Sentence, splitSentences } from "./sentences.js";

export interface LoadedSource {
  meta: SourceManifest;
  blocks: Block[];
  sentences: Sentence[];
  /** One per sentence. */
  attributions: Attribution[];
}

export interface Corpus {
  manifest: Manifest;
  sources: LoadedSource[];
  /** Hash of the manifest and every source file: a processed index is valid only for this value. */
  hash: string;
}

/** What the engine keeps of a corpus at run time: no raw blocks, only attributed sentences. */
export interface ProcessedCorpus {
  manifest: Manifest;
  sources: Array<Omit<LoadedSource, "blocks">>;
  hash: string;
}

export const MANIFEST_FILE = "manifest.yml";

/** Reads `corpus/`: validates the manifest, parses each file with its format's parser, attributes speakers. */
export interface LoadOptions {
  /** Apply the manifest's curated speaker corrections (off only to measure raw inference). */
  corrections?: boolean;
}

export function loadCorpus(dir: string, { corrections = true }: LoadOptions = {}): Corpus {
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifest = loadManifest(manifestPath);
  const hash = createHash("sha256").update(readFileSync(manifestPath));

  const parsed = manifest.sources.map((meta) => {
    let text: string;
    try {
      text = readFileSync(join(dir, meta.file), "utf8");
    } catch {
      throw new CorpusError(meta.file, 0, `cannot read the file named by source "${meta.id}"`);
    }
    hash.update(meta.file).update(text);
    const blocks = PARSERS[meta.format](text, { file: meta.file, body: meta.body });
    if (!blocks.some((b) => b.role === "speech"))
      throw new CorpusError(meta.file, 1, "no conversation found");
    return { meta, blocks, sentences: splitSentences(blocks) };
  });

  // Labeled sources first: their attributions are the evidence for their unlabeled twins.
  const done = new Map<string, LoadedSource>();
  const isLabeled = (p: (typeof parsed)[number]) => p.sentences.some((s) => s.label !== null);
  for (const p of [...parsed.filter(isLabeled), ...parsed.filter((p) => !isLabeled(p))]) {
    const twin = twinOf(p.meta, manifest, done);
    const attributions = attribute({
      source: corrections ? p.meta : { ...p.meta, corrections: [] },
      subject: manifest.subject,
      sentences: p.sentences,
      twin: twin
        ? new TwinEvidence(
            twin.sentences,
            twin.attributions.map((a) => a.speaker),
          )
        : undefined,
      twinIsComplete: twin?.attributions.some((a) => a.speaker && a.speaker !== manifest.subject) ?? false,
    });
    done.set(p.meta.id, { ...p, attributions });
  }
  for (const source of done.values())
    deferToTranscript(source, twinOf(source.meta, manifest, done), manifest.subject);
  return {
    manifest,
    sources: manifest.sources.map((m) => done.get(m.id) as LoadedSource),
    hash: hash.digest("hex").slice(0, 16),
  };
}

/** Marks sentences the twin transcript gives to nobody known: they vote under this name. */
const UNCLEAR = "?";

/**
 * A quote collection (a blog quoting an episode: every speech sentence is the subject's) trusts its
 * block quotes less than the transcript of the episode, because an author may fold a host's line
 * into a quote. A quoted sentence whose counterpart in the transcript is someone else's, or unclear,
 * is dropped.
 */
function deferToTranscript(source: LoadedSource, twin: LoadedSource | undefined, subject: string): void {
  if (!twin) return;
  const speech = source.attributions.filter((_, i) => source.sentences[i]?.role === "speech");
  if (!speech.length || speech.some((a) => a.speaker !== subject)) return;
  const evidence = new TwinEvidence(
    twin.sentences,
    twin.attributions.map((a) => a.speaker),
    UNCLEAR,
  );
  source.sentences.forEach((s, i) => {
    if (source.attributions[i]?.speaker !== subject) return;
    let others = 0;
    for (const [who, n] of evidence.votes(s.text)) if (who !== subject) others += n;
    // Any stretch of three words or more from someone else inside the quote disqualifies it.
    if (others >= 2) source.attributions[i] = { speaker: null, how: "twin" };
  });
}

/** The twin may be declared on either side of the pair. */
export function twinId(meta: SourceManifest, manifest: Manifest): string | undefined {
  return meta.twin ?? manifest.sources.find((s) => s.twin === meta.id)?.id;
}

function twinOf(meta: SourceManifest, manifest: Manifest, done: Map<string, LoadedSource>) {
  const id = twinId(meta, manifest);
  return id ? done.get(id) : undefined;
}
