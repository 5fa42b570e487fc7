#!/usr/bin/env node
/**
 * `prepare` (run by `npm install` and `npm ci`): builds when TypeScript is installed (a development
 * install), and otherwise checks that a build is already there. A production install
 * (`npm ci --omit=dev` on a built tree, or `npm prune --omit=dev`) has no TypeScript and must not fail
 * for lack of it: it runs the dist/ and the .cache/ index that `npm run build` wrote before.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const root = new URL("..", import.meta.url);
const built = ["dist/src/main.js", "dist/src/cli.js"].every((f) => existsSync(new URL(f, root)));

function hasTypeScript() {
  try {
    createRequire(import.meta.url).resolve("typescript/package.json");
    return true;
  } catch {
    return false;
  }
}

if (hasTypeScript()) {
  const npm = process.env.npm_execpath;
  const [command, args] = npm
    ? [process.execPath, [npm, "run", "build", "--silent"]]
    : ["npm", ["run", "build", "--silent"]];
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root });
  process.exitCode = result.status ?? 1;
} else if (built) {
  console.error("prepare: no TypeScript (a production install): using the build in dist/");
} else {
  console.error(
    "prepare: dist/ is missing and TypeScript is not installed. Build first with a full install " +
      "(`npm ci && npm run build`), then remove the devDependencies (`npm prune --omit=dev`).",
  );
  process.exitCode = 1;
}
