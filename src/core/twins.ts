/**
 * The duplicate relation (dedupe.ts) as the engine keeps it: per passage, its twins and how much
 * they share, in three flat typed arrays (CSR) indexed by the passage's position. A map of maps
 * costs about 100 bytes a pair and JSON a string id per pair; a corpus where each passage has a
 * hundred near-copies (the bench's 100×) holds millions of pairs, which took most of the heap and
 * of the restore time. Here a pair is 8 bytes, restored from base64 without parsing one number.
 */
import { decodeBase64, encodeBase64 } from "./base64.js";

/** How the table travels in the snapshot: base64 of each array's bytes (little-endian, as on every
 * platform Node runs on). */
export interface EncodedTwins {
  /** `count + 1` offsets into `targets`: passage i's twins are at offsets[i] … offsets[i + 1]. */
  offsets: string;
  /** Twin positions (Int32). */
  targets: string;
  /** Shares of the smaller passage, 0–1 (Float32: 0.5 and the other thresholds are exact). */
  shares: string;
}

export class Twins {
  private constructor(
    private readonly ids: readonly string[],
    private readonly positionOf: ReadonlyMap<string, number>,
    private readonly offsets: Int32Array,
    private readonly targets: Int32Array,
    private readonly shares: Float32Array,
  ) {}

  /** Encodes the relation for the passages `ids`, in that order; pairs naming unknown ids are dropped. */
  static encode(
    ids: readonly string[],
    relation: ReadonlyMap<string, ReadonlyMap<string, number>>,
  ): EncodedTwins {
    const position = new Map(ids.map((id, i) => [id, i]));
    const offsets = new Int32Array(ids.length + 1);
    const targets: number[] = [];
    const shares: number[] = [];
    ids.forEach((id, i) => {
      for (const [twin, share] of relation.get(id) ?? []) {
        const j = position.get(twin);
        if (j === undefined) continue;
        targets.push(j);
        shares.push(share);
      }
      offsets[i + 1] = targets.length;
    });
    return {
      offsets: encodeBase64(offsets),
      targets: encodeBase64(Int32Array.from(targets)),
      shares: encodeBase64(Float32Array.from(shares)),
    };
  }

  /** The table for passages `ids` (the order it was encoded in). */
  static decode(ids: readonly string[], encoded: EncodedTwins): Twins {
    const offsets = new Int32Array(decodeBase64(encoded.offsets));
    if (offsets.length !== ids.length + 1)
      throw new Error("duplicates: the table does not match the passages");
    return new Twins(
      ids,
      new Map(ids.map((id, i) => [id, i])),
      offsets,
      new Int32Array(decodeBase64(encoded.targets)),
      new Float32Array(decodeBase64(encoded.shares)),
    );
  }

  /** Each twin of passage `id` with its share, until `visit` returns true; whether one did. */
  some(id: string, visit: (twin: string, share: number) => boolean): boolean {
    const i = this.positionOf.get(id);
    if (i === undefined) return false;
    const end = this.offsets[i + 1] as number;
    for (let k = this.offsets[i] as number; k < end; k++)
      if (visit(this.ids[this.targets[k] as number] as string, this.shares[k] as number)) return true;
    return false;
  }

  /** The twins of passage `id` with their shares. */
  of(id: string): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    this.some(id, (twin, share) => {
      out.push([twin, share]);
      return false;
    });
    return out;
  }
}
