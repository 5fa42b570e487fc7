/**
 * vitest global setup: one real Redis server for the whole run, on 127.0.0.1 and a free port, with no
 * persistence (no RDB, no AOF) in a temporary directory removed at the end. Tests read its URL with
 * `inject("redisUrl")`; `TEST_REDIS_URL` points them at a server of your own instead.
 *
 * Needs Debian's `redis-server` package (`.ci/run` installs it). `startRedis` is exported so a test
 * can run a server of its own, to stop it under a running bot.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort } from "./ports.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's Redis server (tests use their own key prefixes or flush nothing). */
    redisUrl: string;
  }
}

export interface RunningRedis {
  url: string;
  port: number;
  /** Stops the server (SIGKILL if it lingers) and removes its directory. */
  stop(): Promise<void>;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const own = process.env.TEST_REDIS_URL;
  if (own) {
    project.provide("redisUrl", own);
    return async () => {};
  }
  const redis = await startRedis();
  process.env.TEST_REDIS_URL = redis.url;
  project.provide("redisUrl", redis.url);
  return () => redis.stop();
}

/** Starts `redis-server` on a free loopback port; resolves once it accepts connections (10 s at most). */
export async function startRedis(): Promise<RunningRedis> {
  const dir = mkdtempSync(join(tmpdir(), "kq-redis-"));
  const port = await freePort();
  const args = [
    ...["--port", String(port), "--bind", "127.0.0.1", "--dir", dir],
    ...["--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no"],
  ];
  let child: ChildProcess;
  try {
    child = spawn("redis-server", args, { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw missing(error);
  }
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = () => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL");
  // A run that dies without teardown (Ctrl-C) still stops its server.
  process.once("exit", kill);
  const stop = async () => {
    process.off("exit", kill);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(kill, 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const spawnError = new Promise<never>((_, reject) => child.once("error", (e) => reject(missing(e))));
  try {
    await Promise.race([accepting(port, 10_000), spawnError]);
  } catch (error) {
    await stop();
    throw new Error(`redis-server did not start: ${(error as Error).message}\n${stderr.slice(-2000)}`);
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

function missing(error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT"
    ? new Error(
        "The rate-limit tests need a Redis server: install Debian's package (apt-get install redis-server) " +
          "or set TEST_REDIS_URL=redis://… to a server of your own.",
      )
    : (error as Error);
}

/** Resolves when a TCP connection to the port succeeds; retries every 50 ms until `ms` have passed. */
async function accepting(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
