import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadEngine } from "../src/core/build.js";
import type { QuoteEngine } from "../src/core/engine.js";

export const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/${path}`, import.meta.url));
export const readFixture = (path: string) => readFileSync(fixture(path), "utf8");

let shared: QuoteEngine | undefined;
/** The engine over the real corpus, built once per test file (it takes a few hundred milliseconds). */
export function realEngine(): QuoteEngine {
  shared ??= loadEngine();
  return shared;
}
