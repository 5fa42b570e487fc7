import type { SourceManifest } from "../corpus/manifest.js";
import { isQuestion, isStageDirection, isTagQuestion, type Sentence } from "../corpus/sentences.js";
import { CorpusError } from "../errors.js";
import type { TwinEvidence } from "./twin-evidence.js";

/** How a sentence's speaker was decided; kept for measurement and for `--explain`-style debugging. */
export type AttributionMethod = "label" | "twin" | "neighbours" | "structure" | "correction" | "unsure";

export interface Attribution {
  /** Person id, or `null` when nobody's words (boilerplate) or not known with confidence. */
  speaker: string | null;
  how: AttributionMethod;
}

export interface AttributionInput {
  source: SourceManifest;
  subject: string;
  sentences: readonly Sentence[];
  /** Evidence from a twin transcript, when one exists and is attributed already. */
  twin?: TwinEvidence | undefined;
  /** Whether the twin attributes every speaker (a labeled transcript) or only quotes the subject. */
  twinIsComplete?: boolean;
}

/**
 * A continuation paragraph of an answer counts as the subject's only when it is substantial: a short
 * unlabeled remark between answers is as likely a host's aside ("I did a math degree…").
 */
const MIN_CONFIDENT_PARAGRAPH = 200;

/** Decides who speaks each sentence of one source. Errs towards `null`: a lost quote beats a false one. */
export function attribute(input: AttributionInput): Attribution[] {
  const { source, sentences } = input;
  const labeled = sentences.some((s) => s.label !== null);
  const result = labeled ? fromLabels(input) : infer(input);
  sentences.forEach((s, i) => {
    if (s.role !== "speech" || isStageDirection(s.text)) result[i] = { speaker: null, how: "label" };
    else if (isBackchannel(s.text)) result[i] = { speaker: null, how: "unsure" };
  });
  return applyCorrections(source, sentences, result);
}

function fromLabels({ source, sentences }: AttributionInput): Attribution[] {
  return sentences.map((s) => {
    if (s.label === null) return { speaker: null, how: "label" };
    const who = source.speakers[s.label];
    if (!who) throw new CorpusError(source.file, s.line, `speaker label "${s.label}" is not in the manifest`);
    return { speaker: who, how: "label" };
  });
}

function infer(input: AttributionInput): Attribution[] {
  if (input.twin && input.twinIsComplete) return inferFromCompleteTwin(input, input.twin);
  return inferFromStructure(input);
}

/** The twin names every speaker: take its verdict per sentence, and fill short gaps between agreeing neighbours. */
function inferFromCompleteTwin({ sentences }: AttributionInput, twin: TwinEvidence): Attribution[] {
  const out: Attribution[] = sentences.map((s) => {
    const who = s.role === "speech" ? twin.verdict(s.text) : null;
    return who ? { speaker: who, how: "twin" } : { speaker: null, how: "unsure" };
  });
  for (let i = 0; i < out.length; i++) {
    if (out[i]?.how !== "unsure" || sentences[i]?.role !== "speech") continue;
    const prev = out.slice(0, i).findLast((a) => a.how === "twin");
    const next = out.slice(i + 1).find((a) => a.how === "twin");
    if (prev && next && prev.speaker === next.speaker) out[i] = { speaker: prev.speaker, how: "neighbours" };
  }
  return out;
}

/**
 * No complete twin: read the interview's shape. A paragraph that asks something, picks up the guest's
 * words ("to your point", "you said") or draws a "Yeah…" reply is the host's; a substantial paragraph
 * that follows a question or an answer is the subject's answer; a twin that quotes the subject confirms
 * a statement whatever the paragraph's shape. Everything else stays unknown.
 */
function inferFromStructure({ source, subject, sentences, twin }: AttributionInput): Attribution[] {
  const other = source.others.length === 1 ? (source.others[0] ?? null) : null;
  const out: Attribution[] = sentences.map(() => ({ speaker: null, how: "unsure" }));
  const blocks = groupByBlock(sentences).filter((b) => sentences[b[0] ?? -1]?.role === "speech");
  let previous: "question" | "answer" | null = null;

  blocks.forEach((indices, b) => {
    const texts = indices.map((i) => sentences[i]?.text ?? "");
    const confirmed = texts.map((t) => !isQuestion(t) && twin?.verdict(t) === subject);
    const next = blocks[b + 1];
    const nextTexts = (next ?? []).map((i) => sentences[i]?.text ?? "");
    const nextText = nextTexts[0] ?? "";
    // "Right, but what about…?" opens with agreement and asks: the host taking the floor back after
    // an answer, not the guest replying to a host's paragraph.
    // Transcripts often drop the question mark: "what about…" asks all the same.
    const nextAsks = nextTexts.some((t) => isQuestion(t) && !isTagQuestion(t)) || ASKS_ABOUT.test(nextText);
    const length = texts.reduce((n, t) => n + t.length + 1, 0);
    const hostLike =
      b === 0 ||
      // A tag question ("…destroy that structure, right?") checks the listener follows; the
      // speaker keeps the floor, so it says nothing of who speaks.
      texts.some((t) => isQuestion(t) && !isTagQuestion(t)) ||
      texts.some((t) => HOST_CUES.test(t)) ||
      (REPLY_OPENER.test(nextText) && !nextAsks && !confirmed.some(Boolean));

    if (confirmed.some(Boolean)) {
      // Confirmed statements are the subject's; the paragraph's own questions stay unknown.
      indices.forEach((i, k) => {
        const text = texts[k] ?? "";
        // A tag question inside a confirmed answer is part of it; a real question stays unknown.
        const midTag = isTagQuestion(text) && k < texts.length - 1;
        out[i] = confirmed[k]
          ? { speaker: subject, how: "twin" }
          : (isQuestion(text) && !midTag) || HOST_CUES.test(text)
            ? { speaker: null, how: "unsure" }
            : { speaker: subject, how: "structure" };
      });
      previous = isQuestion(texts.at(-1) ?? "") ? "question" : "answer";
    } else if (hostLike) {
      for (const i of indices)
        out[i] = { speaker: isQuestion(texts.at(-1) ?? "") || b === 0 ? other : null, how: "structure" };
      previous = "question";
    } else if (previous !== null && length >= MIN_CONFIDENT_PARAGRAPH) {
      for (const i of indices) out[i] = { speaker: subject, how: "structure" };
      previous = "answer";
    }
  });
  return out;
}

/** Phrases with which an interviewer picks up the guest's words or speaks for the audience. */
const HOST_CUES =
  /\b(you said|you mentioned|you talked|your point|you believe|you were saying|you've been|I want to go back|I've been wondering|I was asking|when I talk to people|I guess one thing|welcome back|thanks (a lot )?for joining)\b/iu;

/** An opening that asks for the other side's view, question mark or not. */
const ASKS_ABOUT = /^(?:[a-z]+,?\s+){0,2}(?:what|how) about\b/iu;

/** A paragraph that opens with agreement is replying to the one before it: the floor changed hands. */
const REPLY_OPENER = /^(yeah|yes|yep|right|exactly|totally|absolutely|sure|correct|agreed|100)\b/iu;

function groupByBlock(sentences: readonly Sentence[]): number[][] {
  const groups: number[][] = [];
  sentences.forEach((s, i) => {
    const last = groups.at(-1);
    if (last && sentences[last[0] ?? -1]?.block === s.block) last.push(i);
    else groups.push([i]);
  });
  return groups;
}

/**
 * "Yeah.", "Right.", "Exactly." on their own: the other side's backchannel as often as the speaker's,
 * and where transcripts misplace labels by a sentence. Worth nothing as a quote, so never quoted.
 */
export function isBackchannel(text: string): boolean {
  return /^(?:(?:yeah|yes|yep|yup|right|exactly|okay|ok|sure|totally|interesting|mm-?hmm|uh-huh|hmm|um|uh|oh|wow|no)[\s,.!?…-]*)+$/iu.test(
    text,
  );
}

/** Curated fixes from the manifest win over every inference. */
function applyCorrections(
  source: SourceManifest,
  sentences: readonly Sentence[],
  result: Attribution[],
): Attribution[] {
  if (!source.corrections.length) return result;
  // Corrections quote the text; find them in the sentence stream joined as the reader sees it.
  const starts: number[] = [];
  let joined = "";
  for (const s of sentences) {
    starts.push(joined.length);
    joined += `${s.text} `;
  }
  for (const c of source.corrections) {
    const anchor = c.after ? joined.indexOf(c.after) : 0;
    if (anchor < 0)
      throw new CorpusError(source.file, 0, `correction anchor not found: "${c.after?.slice(0, 40)}"`);
    const from = joined.indexOf(c.at, anchor);
    if (from < 0) throw new CorpusError(source.file, 0, `correction text not found: "${c.at.slice(0, 40)}"`);
    let to = from + c.at.length;
    if (c.until) {
      const u = joined.indexOf(c.until, from);
      if (u < 0) throw new CorpusError(source.file, 0, `correction end not found: "${c.until.slice(0, 40)}"`);
      to = u + c.until.length;
    }
    sentences.forEach((s, i) => {
      const start = starts[i] ?? 0;
      if (start < to && start + s.text.length > from) result[i] = { speaker: c.speaker, how: "correction" };
    });
  }
  return result;
}
