import type { SourceManifest } from "./manifest.js";

/**
 * Whether a line is in the source's cold-open montage (`montage` in the manifest): clips from other
 * moments cut together, so a sentence there is never joined to, or shown as the context of, another.
 */
export function inMontage(meta: Pick<SourceManifest, "montage">, line: number | undefined): boolean {
  return (
    meta.montage !== undefined && line !== undefined && line >= meta.montage.from && line <= meta.montage.to
  );
}
