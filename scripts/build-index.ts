/**
 * Part of `npm run build`: processes the corpus and writes the engine snapshot (see
 * src/core/snapshot.ts and build.ts), unless the one on disk already matches the corpus and the code.
 */
import { loadOrBuild } from "../src/core/build.js";
import { DEFAULT_CORPUS_DIR } from "../src/core/engine.js";
import { QuoteError } from "../src/core/errors.js";

try {
  const started = performance.now();
  const { snapshot, built, path } = loadOrBuild(DEFAULT_CORPUS_DIR);
  const ms = Math.round(performance.now() - started);
  // stderr: stdout belongs to whatever `npm run` chains after the build (e.g. a JSON dry run).
  console.error(
    `${built ? "built" : "up to date:"} ${path} (${snapshot.passages.length} quotes, key ${snapshot.key}, ${ms} ms)`,
  );
} catch (error) {
  if (!(error instanceof QuoteError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
