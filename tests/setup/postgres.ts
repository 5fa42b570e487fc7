/**
 * vitest global setup: one real PostgreSQL server for the whole run, on 127.0.0.1 and a free port,
 * in a temporary cluster removed at the end. Tests read its URL with `inject("postgresUrl")` (see
 * tests/store/databases.ts). `TEST_DATABASE_URL` points the tests at a server of your own instead.
 *
 * Needs Debian's `postgresql` package (`.ci/run` installs it). `initdb` and `pg_ctl` refuse to run
 * as root, so as root they run as the `postgres` user, in a directory that user can write.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort } from "./ports.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A superuser URL of the run's PostgreSQL server (tests create their own databases in it). */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const own = process.env.TEST_DATABASE_URL;
  if (own) {
    project.provide("postgresUrl", own);
    return undefined;
  }
  const bin = postgresBin();
  const root = mkdtempSync(join(tmpdir(), "kq-pg-"));
  chmodSync(root, 0o777); // the postgres user (when we are root) creates the cluster inside
  const data = join(root, "data");
  const log = join(root, "server.log");
  const stop = () => {
    if (existsSync(join(data, "postmaster.pid")))
      run(bin, "pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"], { check: false });
    rmSync(root, { recursive: true, force: true });
  };
  // A run that dies without teardown (Ctrl-C) still stops its server.
  process.once("exit", stop);
  try {
    run(bin, "initdb", [
      ...["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"],
      ...["--no-sync", "--no-instructions"],
    ]);
    const port = await freePort();
    // Durability off: a test cluster is thrown away, and fsync is most of a small write's cost.
    const options = [
      ...["-c listen_addresses=127.0.0.1", `-p ${port}`, `-c unix_socket_directories=${root}`],
      ...["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"],
    ].join(" ");
    const started = run(bin, "pg_ctl", ["-D", data, "-l", log, "-w", "-t", "30", "-o", options, "start"], {
      check: false,
    });
    if (started.status !== 0) {
      const tail = existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : "";
      throw new Error(`pg_ctl start failed (${started.status}): ${started.stderr}\n${tail}`);
    }
    project.provide("postgresUrl", `postgres://postgres@127.0.0.1:${port}/postgres`);
  } catch (error) {
    stop();
    process.off("exit", stop);
    throw error;
  }
  return () => {
    stop();
    process.off("exit", stop);
  };
}

/** Debian keeps the server programs out of PATH, in /usr/lib/postgresql/<major>/bin: newest first. */
function postgresBin(): string {
  const debian = "/usr/lib/postgresql";
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => /^\d+$/u.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(debian, v, "bin"))
    : [];
  const dirs = [...versions, ...(process.env.PATH ?? "").split(delimiter)];
  const found = dirs.find((dir) => dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl")));
  if (!found)
    throw new Error(
      "The store tests need a PostgreSQL server: install Debian's package (apt-get install postgresql) " +
        "or set TEST_DATABASE_URL=postgres://… to a server whose user may create databases.",
    );
  return found;
}

function run(bin: string, program: string, args: string[], { check = true } = {}) {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", join(bin, program), ...args]]
    : [join(bin, program), args];
  const result = spawnSync(command, argv, { encoding: "utf8", timeout: 60_000, cwd: tmpdir() });
  if (check && result.status !== 0)
    throw new Error(
      `${program} failed (${result.status ?? result.signal}): ${result.stderr || result.error}`,
    );
  return result;
}
