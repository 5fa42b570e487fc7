/**
 * The README's production path, in a temporary copy of this tree: the build that `npm ci` ran
 * (`prepare`) is copied, node_modules is hard-linked (no download, no registry), `npm prune
 * --omit=dev` removes the devDependencies, and then `prepare` still passes, `npm start` answers in the
 * console and serves an HTTP endpoint on PORT with /health and /ready. Nothing is compiled.
 */
import { execFile, spawn } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyPair } from "../adapters/discord/fixtures.js";
import { freshDataDir } from "../store/databases.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SKIP = new Set([".git", "node_modules", "coverage"]);
let dir: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist/src/main.js")))
    throw new Error("no dist/: run `npm run build` (npm install does) before this test");
  dir = mkdtempSync(join(tmpdir(), "kq-prod-"));
  cpSync(ROOT, dir, {
    recursive: true,
    filter: (src) => !SKIP.has(src.slice(ROOT.length).split("/")[0] ?? ""),
  });
  // Hard links: instant, and prune only unlinks. npm rewrites its hidden lockfile: give it a copy.
  await run("cp", ["-al", join(ROOT, "node_modules"), join(dir, "node_modules")]);
  rmSync(join(dir, "node_modules/.package-lock.json"));
  copyFileSync(join(ROOT, "node_modules/.package-lock.json"), join(dir, "node_modules/.package-lock.json"));
  await run("npm", ["prune", "--omit=dev", "--offline", "--no-audit", "--no-fund"], {
    cwd: dir,
    timeout: 60_000,
  });
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the production install (build, then npm prune --omit=dev)", () => {
  it("has no typescript (nor any other devDependency) in node_modules", () => {
    for (const dev of ["typescript", "vitest", "@biomejs/biome", ".bin/tsc"])
      expect(existsSync(join(dir, "node_modules", dev)), dev).toBe(false);
    expect(existsSync(join(dir, "node_modules/pino-pretty"))).toBe(true);
  });

  it("passes `prepare` (what npm ci --omit=dev runs) without TypeScript, using the build", async () => {
    const { stderr } = await run("node", ["scripts/ensure-built.mjs"], { cwd: dir, timeout: 20_000 });
    expect(stderr).toContain("no TypeScript (a production install)");
  });

  it("answers `quote agents` in the console with `npm start`", async () => {
    const child = spawn("npm", ["start", "--silent"], { cwd: dir, env: cleanEnv(), timeout: 30_000 });
    child.stdin.end("quote agents\n");
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c;
    });
    const code = await new Promise((resolve) => child.once("close", resolve));
    expect(code).toBe(0);
    expect(out).toContain("— Andrej Karpathy");
  }, 40_000);

  it("serves the Discord HTTP endpoint on PORT with /health and /ready, from the prebuilt index", async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const env = {
      ...cleanEnv(),
      DISCORD_MODE: "http",
      DISCORD_PUBLIC_KEY: keyPair().publicKeyHex,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: await freshDataDir(),
    };
    const index = readdirSync(join(dir, ".cache")).sort();
    const child = spawn("node", ["dist/src/main.js"], { cwd: dir, env, timeout: 30_000 });
    let log = "";
    child.stderr.on("data", (c: Buffer) => {
      log += c;
    });
    try {
      for (let i = 0; i < 250 && !log.includes("karpathy-quotes is running"); i++) await sleep(100);
      expect(log).toContain(`127.0.0.1:${port}/interactions`);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/ready`);
      expect([ready.status, await ready.json()]).toEqual([
        200,
        { ready: true, checks: { index: "ok", database: "ok" } },
      ]);
      // The snapshot the build wrote was found where it was copied: nothing was rebuilt.
      expect(readdirSync(join(dir, ".cache")).sort()).toEqual(index);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("close", resolve));
    }
  }, 40_000);
});

/** The environment without chat credentials (a developer's shell or .env must not leak in). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(DISCORD|SLACK)_|^PORT$|^HOST$/u.test(k)) delete env[k];
  return env;
}
