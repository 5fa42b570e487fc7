import { readFileSync } from "node:fs";
import { z } from "zod";
import type { LoadedSource } from "../core/corpus/load.js";
import { isBackchannel } from "../core/speakers/attribute.js";

const turnsSchema = z.array(
  z.object({
    at: z.string().min(1),
    speaker: z.enum(["karpathy", "host", "audience", "other"]),
    note: z.string().optional(),
  }),
);

/** A hand-labeled transcript: who speaks each character of the raw file. */
export interface Oracle {
  text: string;
  /** Speaker per character offset of `text`. */
  speakerAt(offset: number): string;
}

export function loadOracle(turnsPath: string, sourcePath: string): Oracle {
  const turns = turnsSchema.parse(JSON.parse(readFileSync(turnsPath, "utf8")));
  const text = readFileSync(sourcePath, "utf8");
  const starts = turns.map((t) => {
    const at = text.indexOf(t.at);
    if (at < 0) throw new Error(`oracle turn not found: ${t.at}`);
    return { at, speaker: t.speaker };
  });
  return {
    text,
    speakerAt(offset) {
      return starts.findLast((s) => s.at <= offset)?.speaker ?? "other";
    },
  };
}

export interface AttributionScore {
  /** Sentences the engine gave the subject. */
  attributed: number;
  /** Of those, sentences any part of which the oracle gives to someone else. */
  wrong: number;
  /** Sentences wholly the subject's by the oracle. */
  truth: number;
  /** Of those, how many the engine gave the subject. */
  found: number;
  precision: number;
  recall: number;
  errors: string[];
  /** The subject's sentences the inference left to nobody, to find what it could learn. */
  missed: string[];
}

/** Locates each sentence in the raw file (in order, whitespace-insensitive) and compares speakers. */
export function scoreAttribution(
  source: Omit<LoadedSource, "blocks">,
  oracle: Oracle,
  subject = "karpathy",
): AttributionScore {
  // Map the raw file to a whitespace-collapsed copy, keeping each kept character's raw offset.
  const raw = oracle.text;
  let flat = "";
  const rawOffset: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (/\s/u.test(ch)) {
      if (flat.endsWith(" ") || flat === "") continue;
      flat += " ";
    } else flat += ch;
    rawOffset.push(i);
  }
  const score: AttributionScore = {
    attributed: 0,
    wrong: 0,
    truth: 0,
    found: 0,
    precision: 1,
    recall: 1,
    errors: [],
    missed: [],
  };
  let cursor = 0;
  source.sentences.forEach((s, i) => {
    const at = flat.indexOf(s.text, cursor);
    if (at < 0) return;
    cursor = at + s.text.length;
    const speakers = new Set<string>();
    for (let k = at; k < at + s.text.length; k++) {
      if (flat[k] !== " ") speakers.add(oracle.speakerAt(rawOffset[k] ?? 0));
    }
    const mine = source.attributions[i]?.speaker === subject;
    const theirs = speakers.size === 1 && speakers.has(subject);
    if (mine) {
      score.attributed++;
      if (!theirs) {
        score.wrong++;
        score.errors.push(
          `[${[...speakers].join("+")}/${source.attributions[i]?.how}/b${s.block}] ${s.text.slice(0, 100)}`,
        );
      }
    }
    // Backchannels ("Yeah.") are never quoted by design: they are not recall the inference missed.
    if (theirs && !isBackchannel(s.text)) {
      score.truth++;
      if (mine) score.found++;
      else score.missed.push(`[${source.attributions[i]?.how}/b${s.block}] ${s.text.slice(0, 100)}`);
    }
  });
  score.precision = score.attributed ? 1 - score.wrong / score.attributed : 1;
  score.recall = score.truth ? score.found / score.truth : 1;
  return score;
}
