#!/usr/bin/env node
/**
 * `npm run lockfile:fix`: restores the lockfile entries of platform-specific optional packages that
 * this machine's registry mirror does not carry (e.g. Biome's macOS and Windows binaries). `npm install`
 * drops them when the mirror answers 404, and `npm ci` then refuses the lockfile as out of sync.
 * Each restored entry names only version, os, cpu (and libc): npm skips it on other platforms and
 * fetches it by version on its own platform.
 */
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;
const added = [];
for (const [key, entry] of Object.entries(packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    const child = `node_modules/${name}`;
    const platform = /-(android|darwin|linux|win32|freebsd)-(arm64|x64|ia32|arm)(-musl|-gnu)?$/.exec(name);
    if (packages[child] || !platform) continue;
    packages[child] = {
      version: entry.optionalDependencies[name],
      cpu: [platform[2]],
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [platform[1]],
      ...(platform[3] === "-musl" ? { libc: ["musl"] } : platform[3] === "-gnu" ? { libc: ["glibc"] } : {}),
    };
    added.push(`${child} (for ${key || "root"})`);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `restored:\n  ${added.join("\n  ")}` : "lockfile complete");
