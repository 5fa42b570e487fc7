import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** `npm ci` refuses a lockfile that lacks an optional dependency's entry, even one for another platform. */
describe("package-lock.json", () => {
  it("lists every platform-specific optional package (else run `npm run lockfile:fix`)", () => {
    const lock = JSON.parse(readFileSync(new URL("../package-lock.json", import.meta.url), "utf8"));
    const missing: string[] = [];
    for (const entry of Object.values(lock.packages) as Array<{
      optionalDependencies?: Record<string, string>;
    }>)
      for (const name of Object.keys(entry.optionalDependencies ?? {}))
        if (!lock.packages[`node_modules/${name}`]) missing.push(name);
    expect(missing).toEqual([]);
  });
});
